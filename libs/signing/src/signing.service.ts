import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import {
  FhirError,
  FhirRestService,
  FhirStore,
  type FhirResource,
  type RequestContext,
  ResourceOwners,
  type StoredVersion,
} from '@mekong/health-record';
import { KeyObjectSigner } from './key-object.signer';
import { Keyring } from './keyring';
import { type ProvenanceResource, signResourceVersion, verifyProvenance } from './provenance';
import { keyringFromEnv } from './signer-from-env';
import { rsaIdentity } from './test-pki';
import { SigningError } from './signer';
import { signXml, verifyXml } from './xmldsig';

/**
 * The types whose versions written by a clinician are signed (visit write-back, prescriptions);
 * ServiceRequest: the visit's re-visit appointment (an e-consultation's case is not signed).
 */
export const SIGNED_TYPES = [
  'Encounter',
  'Condition',
  'MedicationRequest',
  'ClinicalImpression',
  'ServiceRequest',
] as const;

/** One Provenance per signed resource (its versions follow the resource's): a stable id. */
export function provenanceId(type: string, id: string): string {
  const h = createHash('sha256').update(`signature|${type}|${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const bodyOf = (r: { body?: unknown; text?: string }): FhirResource =>
  (r.body !== undefined ? r.body : JSON.parse(r.text ?? 'null')) as FhirResource;

/**
 * Signatures of the record (docs/signatures.md, decision 030): a clinician's entries get a
 * Provenance with a detached JWS over the canonical form of the version, written in the same
 * transaction; claims' XML gets an enveloped XMLDSig; `$verify` checks a resource's signature and
 * whether it changed after it was signed. The key is the configured one (PKCS#12 file or remote
 * signing service, SIGNING_*); outside production an ephemeral self-signed key (no legal
 * validity) is made at start; `off` signs nothing.
 */
@Injectable()
export class SigningService implements OnModuleInit {
  private readonly logger = new Logger('Signing');
  private ring?: Keyring;
  private ready?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: FhirStore,
    private readonly fhir: FhirRestService,
    private readonly owners: ResourceOwners,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.start();
    for (const type of SIGNED_TYPES)
      this.owners.registerOperation({
        type,
        name: '$verify',
        level: 'instance',
        definition: 'https://fhir.mekong.health/OperationDefinition/Resource-verify',
        documentation:
          'Checks the author’s signature (Provenance, JWS) of the resource and whether it changed after signing',
        invoke: (id, _body, ctx) => this.verify(type, id!, ctx),
      });
  }

  /** Loads the keyring once (a bad keystore or a missing certificate stops the start). */
  start(): Promise<void> {
    this.ready ??= (async () => {
      const { mode, env } = this.config.signing;
      if (!mode)
        throw new SigningError(
          'SIGNING.CONFIG',
          'SIGNING_MODE is required in production: pkcs12 or remote, with a certificate from a licensed Vietnamese CA (docs/signatures.md), or off',
        );
      if (mode === 'off') return;
      if (mode === 'ephemeral') {
        const id = rsaIdentity('Mekong Health development signer — no legal validity', { days: 2 });
        this.ring = new Keyring().addSigner(new KeyObjectSigner(id.privateKey, [id.certDer]));
        this.logger.warn('Signing with an ephemeral self-signed key: no legal validity (docs/signatures.md)');
        return;
      }
      this.ring = await keyringFromEnv({ ...env, SIGNING_MODE: mode });
    })();
    return this.ready;
  }

  get enabled(): boolean {
    return this.ring !== undefined;
  }

  get keyring(): Keyring | undefined {
    return this.ring;
  }

  /**
   * Signs stored versions by `author` and writes each one's Provenance through `em` (same
   * transaction as the versions). Versions of other types are ignored.
   */
  async signVersions(
    em: EntityManager,
    versions: readonly StoredVersion[],
    author: string,
    write: (type: string, id: string, body: FhirResource) => Promise<unknown>,
  ): Promise<void> {
    await this.start();
    const signer = this.ring?.activeSigner();
    if (!signer) return;
    void em;
    for (const v of versions) {
      if (!(SIGNED_TYPES as readonly string[]).includes(v.resourceType) || !v.content) continue;
      const resource = {
        ...v.content,
        resourceType: v.resourceType,
        id: v.id,
        meta: { ...(v.content.meta as object | undefined), versionId: String(v.versionId) },
      } as FhirResource & { resourceType: string; id: string };
      const prov = (await signResourceVersion(resource as never, signer, {
        author: { reference: author },
      })) as ProvenanceResource;
      const id = provenanceId(v.resourceType, v.id);
      await write('Provenance', id, { ...prov, id } as unknown as FhirResource);
    }
  }

  /** The claim envelope with its enveloped XMLDSig in CHUKYDONVI (unchanged when signing is off). */
  async signClaimXml(xml: string): Promise<string> {
    await this.start();
    const signer = this.ring?.activeSigner();
    return signer ? signXml(xml, signer, { container: 'CHUKYDONVI' }) : xml;
  }

  async verifyClaimXml(xml: string): Promise<{ valid: boolean; reason: string; kid?: string }> {
    await this.start();
    if (!this.ring) return { valid: false, reason: 'signing is off on this server' };
    return verifyXml(xml, this.ring);
  }

  /** `$verify`: the Provenance's signature over the version it names, and whether a later version exists. */
  async verify(type: string, id: string, ctx: RequestContext) {
    const current = bodyOf(await this.fhir.read(type, id, ctx));
    const prov = await this.fhir
      .read('Provenance', provenanceId(type, id), ctx)
      .then(bodyOf)
      .catch(() => undefined);
    const out = (result: boolean, message: string, extra: Record<string, unknown>[] = []) => ({
      status: 200,
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'result', valueBoolean: result },
          { name: 'message', valueString: message },
          {
            name: 'currentVersion',
            valueString: String((current.meta as { versionId?: string } | undefined)?.versionId ?? ''),
          },
          ...extra,
        ],
      },
    });
    if (!prov) return out(false, `${type}/${id} carries no signature / chưa được ký`);
    if (!this.ring)
      throw FhirError.coded(
        503,
        'transient',
        'SIGNING.OFF',
        'Signing is off on this server: signatures cannot be checked',
      );
    const target = ((prov.target ?? []) as { reference?: string }[])[0]?.reference ?? '';
    const signedVersion = /\/_history\/([^/]+)$/.exec(target)?.[1] ?? '';
    const signed = bodyOf(await this.fhir.vread(type, id, signedVersion, ctx));
    const check = await verifyProvenance(signed as never, prov as never, this.ring);
    const who = ((prov.signature ?? []) as { who?: { reference?: string } }[])[0]?.who?.reference ?? '';
    const extra = [
      { name: 'signedVersion', valueString: signedVersion },
      { name: 'signer', valueString: who },
      ...(check.kid ? [{ name: 'kid', valueString: check.kid }] : []),
      { name: 'provenance', valueReference: { reference: `Provenance/${String(prov.id)}` } },
      // What "verifies" rests on: certificates that chain to the configured CAs, or only the
      // operator's keyring (SIGNING_TRUST_ANCHORS unset). Revocation is not checked.
      {
        name: 'trust',
        valueString: this.ring.anchored
          ? 'the certificate chains to a configured trust anchor (SIGNING_TRUST_ANCHORS); revocation not checked'
          : 'the certificate is on this server’s keyring; no trust anchors configured; revocation not checked',
      },
    ];
    if (!check.valid) return out(false, `The signature does not verify: ${check.reason}`, extra);
    const currentVersion = String((current.meta as { versionId?: string } | undefined)?.versionId ?? '');
    if (currentVersion !== signedVersion)
      return out(
        false,
        `Changed after signing: version ${signedVersion} is signed, the current version ${currentVersion} is not`,
        extra,
      );
    return out(true, `Signed by ${who}; unchanged since / đã ký, chưa thay đổi`, extra);
  }
}
