import { Keyring } from './keyring';
import { KeyObjectSigner } from './key-object.signer';
import {
  signResourceVersion,
  verifyProvenance,
  AUTHOR_SIGNATURE,
  type ProvenanceResource,
} from './provenance';
import { canonicalFhirJson, type FhirResource } from './fhir-canonical';
import { decodeProtectedHeader } from './detached-jws';
import { ecIdentity, rsaIdentity } from './test-pki';

const author = { reference: 'Practitioner/dr-lan', display: 'BS. Trần Thị Lan' };

function condition(): FhirResource {
  return {
    resourceType: 'Condition',
    id: 'c1',
    meta: { versionId: '3', lastUpdated: '2026-12-06T10:00:00.000Z' },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Sốt xuất huyết</div>' },
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: {
      coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'A91' }],
      text: 'Sốt xuất huyết Dengue',
    },
    subject: { reference: 'Patient/p1' },
    recordedDate: '2026-12-06',
  };
}

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reorder(v)]),
    );
  }
  return value;
}

describe('signed FHIR resource versions (detached JWS in Provenance)', () => {
  const oldId = rsaIdentity('Dr Lan 2025');
  const newId = rsaIdentity('Dr Lan 2026');
  const oldSigner = new KeyObjectSigner(oldId.privateKey, [oldId.certDer], { keyId: 'lan-2025' });
  const newSigner = new KeyObjectSigner(newId.privateKey, [newId.certDer], { keyId: 'lan-2026' });
  let ring: Keyring;
  let prov: ProvenanceResource;

  beforeAll(async () => {
    ring = new Keyring().addSigner(oldSigner);
    prov = await signResourceVersion(condition(), ring.activeSigner(), {
      author,
      when: new Date('2026-12-06T10:00:01Z'),
    });
  });

  it('builds the Provenance the brief and FHIR R4 describe', () => {
    expect(prov.target).toEqual([{ reference: 'Condition/c1/_history/3' }]);
    expect(prov.recorded).toBe('2026-12-06T10:00:01.000Z');
    expect(prov.agent[0].type?.coding[0].code).toBe('author');
    expect(prov.agent[0].who).toEqual(author);
    const s = prov.signature[0];
    expect(s.type[0]).toMatchObject({ system: 'urn:iso-astm:E1762-95:2013', code: AUTHOR_SIGNATURE });
    expect(s.sigFormat).toBe('application/jose');
    expect(s.targetFormat).toBe(
      'application/fhir+json;canonicalization=http://hl7.org/fhir/canonicalization/json#static',
    );
    const jws = Buffer.from(s.data ?? '', 'base64').toString('utf8');
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    expect(decodeProtectedHeader(jws)).toMatchObject({
      alg: 'RS256',
      kid: 'lan-2025',
      b64: false,
      crit: ['b64'],
    });
  });

  it('verifies; re-ordered JSON keys still verify', async () => {
    expect(await verifyProvenance(condition(), prov, ring)).toEqual({
      valid: true,
      reason: 'signature verifies',
      kid: 'lan-2025',
    });
    expect((await verifyProvenance(reorder(condition()) as FhirResource, prov, ring)).valid).toBe(true);
  });

  it('narrative and meta are outside the signed content (json#static), but the version must match', async () => {
    const r = condition();
    r.text = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">changed</div>' };
    r.meta = { versionId: '3', lastUpdated: '2027-01-01T00:00:00Z', security: [{ code: 'R' }] };
    expect((await verifyProvenance(r, prov, ring)).valid).toBe(true);
    const v4 = { ...condition(), meta: { versionId: '4' } };
    expect(await verifyProvenance(v4, prov, ring)).toMatchObject({
      valid: false,
      reason: 'Provenance does not target Condition/c1/_history/4',
    });
  });

  it('detects a change to any signed field', async () => {
    const r = condition() as FhirResource & { code: { coding: { code: string }[] } };
    r.code.coding[0].code = 'A90';
    const res = await verifyProvenance(r, prov, ring);
    expect(res.valid).toBe(false);
    expect(res.reason).toMatch(/signature does not verify/);
    const added = { ...condition(), note: [{ text: 'x' }] };
    expect((await verifyProvenance(added, prov, ring)).valid).toBe(false);
  });

  it('detects a tampered signature or an unknown key', async () => {
    const jws = Buffer.from(prov.signature[0].data ?? '', 'base64').toString('utf8');
    // change the signature's first character: every bit of it counts (the last one's low bits
    // are padding a decoder may ignore, so flipping the end can leave the signature intact)
    const at = jws.lastIndexOf('.') + 1;
    const flipped = `${jws.slice(0, at)}${jws[at] === 'A' ? 'B' : 'A'}${jws.slice(at + 1)}`;
    const bad: ProvenanceResource = {
      ...prov,
      signature: [{ ...prov.signature[0], data: Buffer.from(flipped).toString('base64') }],
    };
    expect((await verifyProvenance(condition(), bad, ring)).valid).toBe(false);
    expect(await verifyProvenance(condition(), prov, new Keyring().addSigner(newSigner))).toMatchObject({
      valid: false,
      reason: 'unknown kid lan-2025',
    });
  });

  it('rotation: the new kid signs, the retired kid still verifies old signatures', async () => {
    ring.addSigner(newSigner, { activate: true });
    expect(ring.activeSigner().keyId).toBe('lan-2026');
    expect(ring.verificationKey('lan-2025')?.status).toBe('retired');
    const r5 = { ...condition(), meta: { versionId: '5' } };
    const p5 = await signResourceVersion(r5, ring.activeSigner(), { author });
    expect(
      decodeProtectedHeader(Buffer.from(p5.signature[0].data ?? '', 'base64').toString('utf8'))?.kid,
    ).toBe('lan-2026');
    expect((await verifyProvenance(r5, p5, ring)).kid).toBe('lan-2026');
    expect(await verifyProvenance(condition(), prov, ring)).toMatchObject({ valid: true, kid: 'lan-2025' });
    // A verifier that only has the retired key's certificate (its private key destroyed).
    const archive = new Keyring().addCertificate('lan-2025', [oldId.certDer]);
    expect((await verifyProvenance(condition(), prov, archive)).valid).toBe(true);
    expect(() => archive.activeSigner()).toThrow(/no active signing key/);
  });

  it('ES256 works the same way', async () => {
    const ec = ecIdentity('Dr EC');
    const ecRing = new Keyring().addSigner(
      new KeyObjectSigner(ec.privateKey, [ec.certDer], { keyId: 'ec-1' }),
    );
    const p = await signResourceVersion(condition(), ecRing.activeSigner(), { author });
    expect((await verifyProvenance(condition(), p, ecRing)).valid).toBe(true);
    expect((await verifyProvenance({ ...condition(), recordedDate: '2026-12-07' }, p, ecRing)).valid).toBe(
      false,
    );
  });

  it('the signed bytes are the JCS of the resource without text and meta', () => {
    expect(canonicalFhirJson(condition()).toString('utf8')).toBe(
      '{"clinicalStatus":{"coding":[{"code":"active","system":"http://terminology.hl7.org/CodeSystem/condition-clinical"}]},' +
        '"code":{"coding":[{"code":"A91","system":"http://hl7.org/fhir/sid/icd-10"}],"text":"Sốt xuất huyết Dengue"},' +
        '"id":"c1","recordedDate":"2026-12-06","resourceType":"Condition","subject":{"reference":"Patient/p1"}}',
    );
  });
});
