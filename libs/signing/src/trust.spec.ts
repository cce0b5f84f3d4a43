import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertChainToAnchor } from './certificate';
import { KeyObjectSigner } from './key-object.signer';
import { Keyring } from './keyring';
import { keyringFromEnv } from './signer-from-env';
import { caIdentity, issuedIdentity, rsaIdentity, toPkcs12 } from './test-pki';

/**
 * Trust anchors (SIGNING_TRUST_ANCHORS): a signing certificate must chain to a CA the operator
 * trusts — in Vietnam the national root CA and the licensed CAs it certified (docs/signatures.md).
 */
describe('signing certificates chain to the configured trust anchors', () => {
  const root = caIdentity('Test National Root CA');
  const ca = caIdentity('Test Licensed CA', root);
  const signer = issuedIdentity('BS Trần Minh', ca);
  const rogueRoot = caIdentity('Rogue Root');
  const rogue = issuedIdentity('BS Giả Mạo', rogueRoot);
  const x = (der: Buffer) => new X509Certificate(der);

  it('accepts signer → licensed CA → root with the root as anchor, and signer → CA with the CA as anchor', () => {
    expect(
      assertChainToAnchor([signer.certDer, ca.certDer], [x(root.certDer)], new Date()).subject,
    ).toContain('BS Trần Minh');
    expect(() =>
      assertChainToAnchor([signer.certDer, ca.certDer, root.certDer], [x(root.certDer)]),
    ).not.toThrow();
    expect(() => assertChainToAnchor([signer.certDer], [x(ca.certDer)], new Date())).not.toThrow();
  });

  it('refuses a self-signed certificate, another root’s, a chain missing its CA, and a non-CA issuer', () => {
    const anchors = [x(root.certDer)];
    const self = rsaIdentity('Tự ký');
    for (const chain of [[self.certDer], [rogue.certDer, rogueRoot.certDer], [signer.certDer]])
      expect(() => assertChainToAnchor(chain, anchors, new Date())).toThrow(
        expect.objectContaining({ code: 'SIGNING.UNTRUSTED_CHAIN' }),
      );
    // a leaf "issued" by another leaf: the issuer is not a CA
    const byLeaf = issuedIdentity('Con', signer);
    expect(() => assertChainToAnchor([byLeaf.certDer, signer.certDer, ca.certDer], anchors)).toThrow(
      /not a CA/,
    );
  });

  it('refuses a chain not valid at the time asked, but a retired key’s chain is checked without a date', () => {
    const old = issuedIdentity('BS Cũ', ca, { notBefore: new Date('2020-01-01'), days: 30 });
    expect(() => assertChainToAnchor([old.certDer, ca.certDer], [x(root.certDer)], new Date())).toThrow(
      /not valid at/,
    );
    const ring = new Keyring({ trustAnchors: [x(root.certDer)] });
    ring.addSigner(new KeyObjectSigner(signer.privateKey, [signer.certDer, ca.certDer]));
    expect(() => ring.addCertificate('old', [old.certDer, ca.certDer])).not.toThrow();
    expect(() => ring.addCertificate('rogue', [rogue.certDer, rogueRoot.certDer])).toThrow(
      expect.objectContaining({ code: 'SIGNING.UNTRUSTED_CHAIN' }),
    );
    expect(ring.anchored).toBe(true);
    expect(new Keyring().anchored).toBe(false);
  });

  it('SIGNING_TRUST_ANCHORS: a PKCS#12 signer that does not chain to them does not start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    writeFileSync(join(dir, 'anchors.pem'), root.certPem);
    writeFileSync(join(dir, 'rogue.p12'), toPkcs12(rogue, 'mat-khau'));
    const env = {
      SIGNING_MODE: 'pkcs12',
      SIGNING_P12_PATH: join(dir, 'rogue.p12'),
      SIGNING_P12_PASSPHRASE: 'mat-khau',
      SIGNING_TRUST_ANCHORS: join(dir, 'anchors.pem'),
    };
    await expect(keyringFromEnv(env)).rejects.toMatchObject({ code: 'SIGNING.UNTRUSTED_CHAIN' });
    await expect(
      keyringFromEnv({ ...env, SIGNING_TRUST_ANCHORS: join(dir, 'none.pem') }),
    ).rejects.toMatchObject({
      code: 'SIGNING.CONFIG',
    });
    // without anchors the same file starts (the operator's choice, said in the docs)
    await expect(keyringFromEnv({ ...env, SIGNING_TRUST_ANCHORS: '' })).resolves.toBeInstanceOf(Keyring);
  });
});
