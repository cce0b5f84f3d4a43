/**
 * PKCS#12 (.p12/.pfx) file signer. node-forge opens the file with its passphrase; the private key
 * is turned into a node:crypto KeyObject held in this process's memory only — it is never written
 * to the database, a log or another file.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { KeyObjectSigner } from './key-object.signer';
import { SigningError } from './signer';

export interface Pkcs12Options {
  /** Overrides the default `kid` (the certificate's SHA-256 thumbprint). */
  keyId?: string;
  /** Clock for the validity check (tests). */
  now?: Date;
}

interface Opened {
  key: KeyObject;
  chain: Buffer[];
}

function open(p12: Buffer, passphrase: string): Opened {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (e) {
    const msg = (e as Error).message;
    if (/password|MAC could not be verified|decrypt/i.test(msg)) {
      throw new SigningError(
        'SIGNING.BAD_PASSPHRASE',
        'the PKCS#12 passphrase is wrong (the file MAC does not verify)',
      );
    }
    throw new SigningError('SIGNING.BAD_KEYSTORE', `the PKCS#12 file cannot be read: ${msg}`);
  }
  const keyBags = [
    ...(parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ??
      []),
    ...(parsed.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  if (keyBags.length !== 1) {
    throw new SigningError(
      'SIGNING.BAD_KEYSTORE',
      `the PKCS#12 file must hold exactly one private key, found ${keyBags.length}`,
    );
  }
  const bag = keyBags[0];
  let key: KeyObject;
  if (bag.key) {
    key = createPrivateKey(forge.pki.privateKeyToPem(bag.key));
  } else if (bag.asn1) {
    // forge decodes only RSA keys; others (EC) come back as the PrivateKeyInfo ASN.1.
    key = createPrivateKey({
      key: Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), 'binary'),
      format: 'der',
      type: 'pkcs8',
    });
  } else {
    throw new SigningError('SIGNING.BAD_KEYSTORE', 'the PKCS#12 key bag is empty');
  }
  const certBags = parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const ders = certBags
    .map((b) =>
      b.cert
        ? forge.asn1.toDer(forge.pki.certificateToAsn1(b.cert))
        : b.asn1
          ? forge.asn1.toDer(b.asn1)
          : undefined,
    )
    .filter((d): d is forge.util.ByteStringBuffer => d !== undefined)
    .map((d) => Buffer.from(d.getBytes(), 'binary'));
  return { key, chain: ders };
}

/** Puts the certificate that certifies `key` first; the rest keep their order. */
function leafFirst(key: KeyObject, chain: Buffer[]): Buffer[] {
  const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  const pub = spki(createPublicKey(key));
  const i = chain.findIndex((der) => {
    try {
      return spki(new X509Certificate(der).publicKey).equals(pub);
    } catch {
      return false;
    }
  });
  return i <= 0 ? chain : [chain[i], ...chain.slice(0, i), ...chain.slice(i + 1)];
}

export const Pkcs12Signer = {
  /** Opens PKCS#12 bytes. Wrong passphrase → SigningError SIGNING.BAD_PASSPHRASE; no certificate → SIGNING.NO_CERTIFICATE. */
  fromBuffer(p12: Buffer, passphrase: string, opts: Pkcs12Options = {}): KeyObjectSigner {
    const { key, chain } = open(p12, passphrase);
    return new KeyObjectSigner(key, leafFirst(key, chain), opts);
  },
  fromFile(path: string, passphrase: string, opts: Pkcs12Options = {}): KeyObjectSigner {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new SigningError(
        'SIGNING.CONFIG',
        `cannot read the PKCS#12 file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    return Pkcs12Signer.fromBuffer(bytes, passphrase, opts);
  },
};
