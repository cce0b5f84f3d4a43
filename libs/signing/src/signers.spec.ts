import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  constants,
  createHash,
  createPublicKey,
  privateEncrypt,
  sign as cryptoSign,
  verify as cryptoVerify,
  X509Certificate,
} from 'node:crypto';
import { Pkcs12Signer } from './pkcs12.signer';
import { KeyObjectSigner } from './key-object.signer';
import { RemoteSigner } from './remote.signer';
import { keyringFromEnv, signerFromEnv } from './signer-from-env';
import { thumbprintS256 } from './certificate';
import { Keyring } from './keyring';
import { signXml, verifyXml } from './xmldsig';
import { signResourceVersion, verifyProvenance } from './provenance';
import { SigningError } from './signer';
import { ecIdentity, rsaIdentity, toPkcs12, type TestIdentity } from './test-pki';

const rsa = rsaIdentity('Dr Test RSA');
const ec = ecIdentity('Dr Test EC');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SigningError ? e.code : `not a SigningError: ${(e as Error).message}`;
  }
  return undefined;
}

async function codeOfAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof SigningError ? e.code : `not a SigningError: ${(e as Error).message}`;
  }
  return undefined;
}

describe('PKCS#12 signer', () => {
  const p12 = toPkcs12(rsa, 'correct horse');

  it('opens the file with its passphrase and signs RS256 verifiable with the certificate', async () => {
    const signer = Pkcs12Signer.fromBuffer(p12, 'correct horse');
    expect(signer.algorithm).toBe('RS256');
    expect(signer.certificateChain[0].equals(rsa.certDer)).toBe(true);
    const data = Buffer.from('hello');
    const sig = await signer.sign(data);
    expect(cryptoVerify('sha256', data, new X509Certificate(rsa.certDer).publicKey, sig)).toBe(true);
  });

  it('a wrong passphrase is a clear error', () => {
    expect(codeOf(() => Pkcs12Signer.fromBuffer(p12, 'wrong'))).toBe('SIGNING.BAD_PASSPHRASE');
    expect(() => Pkcs12Signer.fromBuffer(p12, 'wrong')).toThrow(/PKCS#12 passphrase is wrong/);
  });

  it('refuses to start without a certificate', () => {
    expect(codeOf(() => Pkcs12Signer.fromBuffer(toPkcs12(rsa, 'pw', { withCertificate: false }), 'pw'))).toBe(
      'SIGNING.NO_CERTIFICATE',
    );
  });

  it('refuses a certificate that does not certify the key, or is not valid now', () => {
    const other = rsaIdentity('someone else');
    expect(codeOf(() => new KeyObjectSigner(rsa.privateKey, [other.certDer]))).toBe(
      'SIGNING.KEY_CERTIFICATE_MISMATCH',
    );
    const expired = rsaIdentity('old', { notBefore: new Date(Date.now() - 400 * 86_400_000), days: 30 });
    expect(codeOf(() => new KeyObjectSigner(expired.privateKey, [expired.certDer]))).toBe(
      'SIGNING.CERTIFICATE_NOT_VALID_NOW',
    );
  });

  it('is configured from the environment, passphrase from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signing-'));
    writeFileSync(join(dir, 'k.p12'), p12);
    writeFileSync(join(dir, 'pass'), 'correct horse\n');
    const signer = await signerFromEnv({
      SIGNING_MODE: 'pkcs12',
      SIGNING_P12_PATH: join(dir, 'k.p12'),
      SIGNING_P12_PASSPHRASE_FILE: join(dir, 'pass'),
      SIGNING_KEY_ID: 'doctor-2026',
    });
    expect(signer.keyId).toBe('doctor-2026');
    expect(
      await codeOfAsync(() =>
        signerFromEnv({ SIGNING_MODE: 'pkcs12', SIGNING_P12_PATH: join(dir, 'k.p12') }),
      ),
    ).toBe('SIGNING.CONFIG');
    expect(await codeOfAsync(() => signerFromEnv({}))).toBe('SIGNING.CONFIG');
  });

  it('keyringFromEnv: the configured signer is active, retired certificates verify only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signing-'));
    writeFileSync(join(dir, 'k.p12'), p12);
    const retired = rsaIdentity('retired 2025');
    writeFileSync(join(dir, 'retired.pem'), retired.certPem);
    const ring = await keyringFromEnv({
      SIGNING_MODE: 'pkcs12',
      SIGNING_P12_PATH: join(dir, 'k.p12'),
      SIGNING_P12_PASSPHRASE: 'correct horse',
      SIGNING_RETIRED_CERTS: join(dir, 'retired.pem'),
    });
    expect(ring.activeSigner().keyId).toBe(thumbprintS256(rsa.certDer));
    expect(ring.verificationKey(thumbprintS256(retired.certDer))?.status).toBe('retired');
  });

  it('signs ES256 (r||s, 64 octets) with an EC key', async () => {
    const signer = new KeyObjectSigner(ec.privateKey, [ec.certDer]);
    expect(signer.algorithm).toBe('ES256');
    const sig = await signer.sign(Buffer.from('x'));
    expect(sig.length).toBe(64);
    expect(
      cryptoVerify(
        'sha256',
        Buffer.from('x'),
        { key: createPublicKey(ec.certPem), dsaEncoding: 'ieee-p1363' },
        sig,
      ),
    ).toBe(true);
  });
});

/** Loopback stand-in for a CSC-style signing service: holds a key, signs SHA-256 digests. */
function standIn(id: TestIdentity, opts: { token: string; withCert?: boolean; corrupt?: boolean }): Server {
  const DIGEST_INFO_SHA256 = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, json: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.headers.authorization !== `Bearer ${opts.token}`) return send(401, { error: 'invalid_token' });
      const q = JSON.parse(body) as {
        credentialID: string;
        hashes?: string[];
        hashAlgorithmOID?: string;
        signAlgo?: string;
      };
      if (q.credentialID !== 'cred-1')
        return send(400, { error: 'invalid_request', error_description: 'unknown credentialID' });
      if (req.url === '/csc/v2/credentials/info') {
        return send(200, {
          key: { status: 'enabled' },
          cert: {
            status: 'valid',
            certificates: opts.withCert === false ? [] : [id.certDer.toString('base64')],
          },
        });
      }
      if (req.url === '/csc/v2/signatures/signHash') {
        if (q.hashAlgorithmOID !== '2.16.840.1.101.3.4.2.1') return send(400, { error: 'invalid_request' });
        const signatures = (q.hashes ?? []).map((h) => {
          const digest = Buffer.from(h, 'base64');
          let sig: Buffer;
          if (q.signAlgo === '1.2.840.10045.4.3.2') {
            // DER-encoded ECDSA, as many services return it. node:crypto cannot ECDSA-sign a bare
            // digest, so the stand-in signs the data the test registered for this digest: the
            // same kind of value a digest-signing HSM returns.
            const pre = preimages.get(h);
            if (!pre) return '';
            sig = cryptoSign('sha256', pre, id.privateKey);
          } else {
            sig = privateEncrypt(
              { key: id.privateKey, padding: constants.RSA_PKCS1_PADDING },
              Buffer.concat([DIGEST_INFO_SHA256, digest]),
            );
          }
          if (opts.corrupt === true) sig[sig.length - 1] ^= 0xff;
          return sig.toString('base64');
        });
        return send(200, { signatures });
      }
      return send(404, { error: 'not_found' });
    });
  });
}
const preimages = new Map<string, Buffer>();

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/csc/v2`;
}

describe('remote signer (CSC-style signHash) against a loopback stand-in', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
  async function start(
    id: TestIdentity,
    opts: { withCert?: boolean; corrupt?: boolean } = {},
  ): Promise<string> {
    const s = standIn(id, { token: 'tok', ...opts });
    servers.push(s);
    return listen(s);
  }

  it('gets the certificate from credentials/info and signs RS256 digests', async () => {
    const url = await start(rsa);
    const signer = await RemoteSigner.connect({ baseUrl: url, credentialId: 'cred-1', accessToken: 'tok' });
    expect(signer.algorithm).toBe('RS256');
    const data = Buffer.from('claim bytes');
    const sig = await signer.sign(data);
    expect(cryptoVerify('sha256', data, createPublicKey(rsa.certPem), sig)).toBe(true);
  });

  it('signs a claim XML and a FHIR version through the service (async path)', async () => {
    const url = await start(rsa);
    const signer = await RemoteSigner.connect({
      baseUrl: url,
      credentialId: 'cred-1',
      accessToken: 'tok',
      keyId: 'hsm-1',
    });
    const ring = new Keyring().addSigner(signer);
    const xml = await signXml(
      '<GIAMDINHHS><THONGTINDONVI><MACSKCB>79001</MACSKCB></THONGTINDONVI></GIAMDINHHS>',
      signer,
    );
    expect(verifyXml(xml, ring)).toEqual({ valid: true, reason: 'signature verifies', kid: 'hsm-1' });
    const obs = {
      resourceType: 'Observation',
      id: 'o1',
      meta: { versionId: '1' },
      status: 'final',
      code: { text: 'SpO2' },
      valueQuantity: { value: 97, unit: '%' },
    };
    const prov = await signResourceVersion(obs, signer, { author: { reference: 'Practitioner/p1' } });
    expect((await verifyProvenance(obs, prov, ring)).valid).toBe(true);
  });

  it('converts a DER ECDSA answer to r||s for ES256', async () => {
    const url = await start(ec);
    const signer = await RemoteSigner.connect({ baseUrl: url, credentialId: 'cred-1', accessToken: 'tok' });
    expect(signer.algorithm).toBe('ES256');
    const data = Buffer.from('prescription bytes');
    preimages.set(createHash('sha256').update(data).digest('base64'), data);
    const sig = await signer.sign(data);
    expect(sig.length).toBe(64);
    expect(
      cryptoVerify('sha256', data, { key: createPublicKey(ec.certPem), dsaEncoding: 'ieee-p1363' }, sig),
    ).toBe(true);
  });

  it('refuses to start when the service gives no certificate', async () => {
    const url = await start(rsa, { withCert: false });
    expect(
      await codeOfAsync(() =>
        RemoteSigner.connect({ baseUrl: url, credentialId: 'cred-1', accessToken: 'tok' }),
      ),
    ).toBe('SIGNING.NO_CERTIFICATE');
  });

  it('service errors and bad signatures are SIGNING.REMOTE_FAILED', async () => {
    const url = await start(rsa);
    expect(
      await codeOfAsync(() =>
        RemoteSigner.connect({ baseUrl: url, credentialId: 'cred-1', accessToken: 'nope' }),
      ),
    ).toBe('SIGNING.REMOTE_FAILED');
    const bad = await start(rsa, { corrupt: true });
    const signer = await RemoteSigner.connect({ baseUrl: bad, credentialId: 'cred-1', accessToken: 'tok' });
    expect(await codeOfAsync(() => signer.sign(Buffer.from('x')))).toBe('SIGNING.REMOTE_FAILED');
  });
});
