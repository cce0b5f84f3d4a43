/**
 * Test key material, generated at run time (nothing private is committed). Self-signed
 * certificates with NO legal validity: they are not issued by a licensed CA.
 * Used by the specs only.
 */
import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface TestIdentity {
  privateKey: KeyObject;
  certDer: Buffer;
  certPem: string;
}

const DAY = 86_400_000;

/** RSA-2048 key + self-signed X.509 (node-forge), valid from yesterday for `days` days. */
export function rsaIdentity(cn: string, opts: { days?: number; notBefore?: Date } = {}): TestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const fKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const fPub = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = fPub;
  // Positive and an even number of hex digits: "0" + 16 digits made an odd-length hex string that
  // node-forge encodes wrongly about half the time (an unparseable certificate, found by CI).
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  const from = opts.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + (opts.days ?? 30) * DAY);
  const attrs = [
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: 'Mekong Health TEST - no legal validity' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(fKey, forge.md.sha256.create());
  const certDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { privateKey, certDer, certPem: forge.pki.certificateToPem(cert) };
}

/**
 * A test CA (RSA, basicConstraints CA:true, keyCertSign) and identities it issues: chains like a
 * licensed CA's (root → CA → signer). `issuer` absent: self-signed (a root).
 */
export function caIdentity(cn: string, issuer?: TestIdentity, days = 365): TestIdentity {
  return forgeIdentity(cn, { ca: true, days, ...(issuer ? { issuer } : {}) });
}

/** A signing identity issued by `issuer` (a CA from caIdentity). */
export function issuedIdentity(
  cn: string,
  issuer: TestIdentity,
  opts: { days?: number; notBefore?: Date } = {},
): TestIdentity {
  return forgeIdentity(cn, { ...opts, issuer });
}

function forgeIdentity(
  cn: string,
  opts: { ca?: boolean; days?: number; notBefore?: Date; issuer?: TestIdentity },
): TestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  const from = opts.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + (opts.days ?? 30) * DAY);
  // A Vietnamese name as UTF8String (node-forge encodes it then; its default PrintableString would
  // cut each character to one byte — and sign something the parser reads back differently).
  // @types/node-forge types valueTagClass as a class, but node-forge reads it as the string tag.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const subject = [
    { name: 'commonName', value: cn, valueTagClass: utf8 },
    { name: 'organizationName', value: 'Mekong Health TEST - no legal validity' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(
    opts.issuer ? forge.pki.certificateFromPem(opts.issuer.certPem).subject.attributes : subject,
  );
  cert.setExtensions(
    opts.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }],
  );
  const signingKey = opts.issuer?.privateKey ?? privateKey;
  cert.sign(
    forge.pki.privateKeyFromPem(signingKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    forge.md.sha256.create(),
  );
  const certDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { privateKey, certDer, certPem: forge.pki.certificateToPem(cert) };
}

/** PKCS#12 holding an RSA identity, encrypted with `passphrase` (3DES, as node-forge writes it). */
export function toPkcs12(
  id: TestIdentity,
  passphrase: string,
  opts: { withCertificate?: boolean } = {},
): Buffer {
  const fKey = forge.pki.privateKeyFromPem(id.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = opts.withCertificate === false ? null : forge.pki.certificateFromPem(id.certPem);
  // node-forge accepts null for "no certificate" (its typings say otherwise).
  const asn1 = forge.pkcs12.toPkcs12Asn1(fKey, cert as forge.pki.Certificate, passphrase, {
    algorithm: '3des',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * EC P-256 key + self-signed certificate. node-forge cannot sign with EC keys, so the
 * TBSCertificate is assembled with forge.asn1 and signed with node:crypto (ecdsa-with-SHA256).
 */
export function ecIdentity(cn: string, days = 30): TestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const A = forge.asn1;
  const seq = (v: forge.asn1.Asn1[]): forge.asn1.Asn1 =>
    A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, v);
  const oid = (o: string): forge.asn1.Asn1 =>
    A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(o).getBytes());
  const name = seq([
    A.create(A.Class.UNIVERSAL, A.Type.SET, true, [
      seq([oid('2.5.4.3'), A.create(A.Class.UNIVERSAL, A.Type.UTF8, false, forge.util.encodeUtf8(cn))]),
    ]),
  ]);
  const sigAlg = seq([oid('1.2.840.10045.4.3.2')]);
  const from = new Date(Date.now() - DAY);
  const tbs = seq([
    A.create(A.Class.CONTEXT_SPECIFIC, 0, true, [
      A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, String.fromCharCode(2)),
    ]),
    A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, `\x01${forge.random.getBytesSync(8)}`),
    sigAlg,
    name,
    seq([
      A.create(A.Class.UNIVERSAL, A.Type.UTCTIME, false, A.dateToUtcTime(from)),
      A.create(
        A.Class.UNIVERSAL,
        A.Type.UTCTIME,
        false,
        A.dateToUtcTime(new Date(from.getTime() + days * DAY)),
      ),
    ]),
    name,
    A.fromDer(forge.util.createBuffer(publicKey.export({ type: 'spki', format: 'der' }).toString('binary'))),
  ]);
  const tbsDer = Buffer.from(A.toDer(tbs).getBytes(), 'binary');
  const sig = cryptoSign('sha256', tbsDer, privateKey);
  const cert = seq([
    tbs,
    seq([oid('1.2.840.10045.4.3.2')]),
    A.create(A.Class.UNIVERSAL, A.Type.BITSTRING, false, `\x00${sig.toString('binary')}`),
  ]);
  const certDer = Buffer.from(A.toDer(cert).getBytes(), 'binary');
  const b64 = certDer.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    privateKey,
    certDer,
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END CERTIFICATE-----\n`,
  };
}
