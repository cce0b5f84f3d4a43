/**
 * Enveloped XML Signature (XMLDSig 1.1) for claim documents: Reference URI="" with the
 * enveloped-signature and exclusive c14n transforms, SHA-256 digest, RSA-SHA256 (or ECDSA-SHA256)
 * signature, KeyInfo/X509Data carrying the certificate chain. The signature value comes from a
 * Signer, so a remote signing service works as well as a local PKCS#12 key.
 *
 * Placement: by default inside a `CHUKYDONVI` element, last child of the root (BHXH CV
 * 1245/BHXH-CNTT Phụ lục mục 2.4 and 3.4 templates; the signature form inside it is
 * [unverified] — docs/signatures.md §Claim XML).
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import {
  SignedXml,
  type SignatureAlgorithm as XmlSignatureAlgorithm,
  type SignatureAlgorithmType,
} from 'xml-crypto';
import { derToPem } from './certificate';
import type { Keyring } from './keyring';
import type { SignatureAlgorithm, Signer } from './signer';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

const uriFor = (alg: SignatureAlgorithm): string => (alg === 'ES256' ? ECDSA_SHA256 : RSA_SHA256);

/** Verification half shared by both URIs (r||s for ECDSA, as XMLDSig 1.1 §6.4.3 encodes it). */
function verifyWith(
  alg: SignatureAlgorithm,
  material: string,
  key: KeyObject,
  signatureValue: string,
): boolean {
  const sig = Buffer.from(signatureValue, 'base64');
  const data = Buffer.from(material, 'utf8');
  return alg === 'ES256'
    ? cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    : cryptoVerify('sha256', data, key, sig);
}

function algorithmClass(alg: SignatureAlgorithm, signer?: Signer): new () => XmlSignatureAlgorithm {
  return class implements XmlSignatureAlgorithm {
    getSignature(
      signedInfo: unknown,
      _key: unknown,
      callback?: (err: Error | null, value?: string) => void,
    ): string {
      if (!signer || typeof callback !== 'function')
        throw new Error('signing needs a Signer and runs asynchronously');
      signer.sign(Buffer.from(String(signedInfo), 'utf8')).then(
        (sig) => callback(null, sig.toString('base64')),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
      return '';
    }
    verifySignature(material: string, key: unknown, signatureValue: string): boolean {
      return verifyWith(alg, material, createPublicKey(key as string), signatureValue);
    }
    getAlgorithmName(): SignatureAlgorithmType {
      return uriFor(alg) as SignatureAlgorithmType;
    }
  } as unknown as new () => XmlSignatureAlgorithm;
}

export interface SignXmlOptions {
  /**
   * Local name of the element, direct child of the root, that receives ds:Signature; created as
   * the root's last child when absent. Default `CHUKYDONVI`. `null`: append to the root itself.
   */
  container?: string | null;
}

const xpathChild = (name: string): string => `/*/*[local-name(.)='${name}']`;

/** Signs `xml` (enveloped). Returns the signed document text. */
export async function signXml(xml: string, signer: Signer, opts: SignXmlOptions = {}): Promise<string> {
  const container = opts.container === undefined ? 'CHUKYDONVI' : opts.container;
  let input = xml;
  if (container !== null) {
    if (!/^[A-Za-z_][\w.-]*$/.test(container)) throw new TypeError('container must be an XML local name');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const root = doc.documentElement;
    if (!root) throw new TypeError('not an XML document');
    const existing = Array.from(root.childNodes).find(
      (n) => n.nodeType === 1 && (n as unknown as { localName: string }).localName === container,
    );
    if (!existing) {
      root.appendChild(doc.createElementNS(root.namespaceURI, container));
      input = new XMLSerializer().serializeToString(doc);
    }
  }
  const algUri = uriFor(signer.algorithm);
  const sig = new SignedXml({
    // xml-crypto insists on a key before it computes; the real key lives in the Signer.
    privateKey: 'held-by-signer',
    signatureAlgorithm: algUri as SignatureAlgorithmType,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: (args) => {
      const p = args?.prefix ? `${args.prefix}:` : '';
      const certs = signer.certificateChain
        .map((c) => `<${p}X509Certificate>${c.toString('base64')}</${p}X509Certificate>`)
        .join('');
      return `<${p}X509Data>${certs}</${p}X509Data>`;
    },
  });
  sig.SignatureAlgorithms = {
    ...sig.SignatureAlgorithms,
    [algUri]: algorithmClass(signer.algorithm, signer),
  };
  sig.addReference({
    xpath: '/*',
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: SHA256,
    isEmptyUri: true,
  });
  return new Promise<string>((resolve, reject) => {
    sig.computeSignature(
      input,
      {
        location:
          container === null
            ? { reference: '/*', action: 'append' }
            : { reference: xpathChild(container), action: 'append' },
      },
      (err: Error | null, res?: SignedXml) => {
        if (err || !res) reject(err ?? new Error('XML signing failed'));
        else resolve(res.getSignedXml());
      },
    );
  });
}

export interface XmlVerification {
  valid: boolean;
  reason: string;
  kid?: string;
}

/**
 * Verifies the one enveloped signature of `xml`: the certificate in KeyInfo must be a keyring
 * key's certificate (the key comes from the keyring, not from the document), the single
 * Reference must be URI="" (the whole document), and digest + signature must verify.
 */
export function verifyXml(xml: string, keyring: Keyring): XmlVerification {
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser().parseFromString(xml, 'text/xml');
  } catch (e) {
    return { valid: false, reason: `not XML: ${(e as Error).message}` };
  }
  const sigs = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'));
  if (sigs.length !== 1) return { valid: false, reason: `expected one ds:Signature, found ${sigs.length}` };
  const certEl = sigs[0].getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0];
  const certB64 = (certEl?.textContent ?? '').replace(/\s+/g, '');
  if (!certB64) return { valid: false, reason: 'KeyInfo carries no X509Certificate' };
  const key = keyring.list().find((k) => k.certificateChain[0].toString('base64') === certB64);
  if (!key) return { valid: false, reason: 'the signing certificate is not on the keyring' };
  const refs = Array.from(sigs[0].getElementsByTagNameNS(DSIG_NS, 'Reference'));
  if (refs.length !== 1 || refs[0].getAttribute('URI') !== '') {
    return {
      valid: false,
      reason: 'the signature must have exactly one Reference with URI=""',
      kid: key.kid,
    };
  }
  const pem = derToPem(key.certificateChain[0]);
  const sx = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => pem });
  sx.SignatureAlgorithms = {
    ...sx.SignatureAlgorithms,
    [RSA_SHA256]: algorithmClass('RS256'),
    [ECDSA_SHA256]: algorithmClass('ES256'),
  };
  try {
    sx.loadSignature(sigs[0] as unknown as Parameters<SignedXml['loadSignature']>[0]);
    if (sx.signatureAlgorithm !== uriFor(key.algorithm)) {
      return {
        valid: false,
        reason: `SignatureMethod ${String(sx.signatureAlgorithm)} does not match the key`,
        kid: key.kid,
      };
    }
    const ok = sx.checkSignature(xml);
    if (!ok) return { valid: false, reason: 'signature does not verify', kid: key.kid };
  } catch (e) {
    return { valid: false, reason: `signature does not verify: ${(e as Error).message}`, kid: key.kid };
  }
  return { valid: true, reason: 'signature verifies', kid: key.kid };
}
