import { Keyring } from './keyring';
import { KeyObjectSigner } from './key-object.signer';
import { signXml, verifyXml } from './xmldsig';
import { ecIdentity, rsaIdentity } from './test-pki';

const envelope =
  '<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS>\n<THONGTINDONVI>\n<MACSKCB>79001</MACSKCB>\n</THONGTINDONVI>\n' +
  '<THONGTINHOSO>\n<NGAYLAP>20261206</NGAYLAP>\n<SOLUONGHOSO>1</SOLUONGHOSO>\n<DANHSACHHOSO>\n<HOSO>\n<FILEHOSO>\n' +
  '<LOAIHOSO>XML1</LOAIHOSO>\n<NOIDUNGFILE>PFRPTkdIT1A+PC9UT05HSE9QPg==</NOIDUNGFILE>\n</FILEHOSO>\n</HOSO>\n</DANHSACHHOSO>\n' +
  '</THONGTINHOSO>\n</GIAMDINHHS>\n';

describe('enveloped XMLDSig for the claim envelope', () => {
  const id = rsaIdentity('Phòng khám Test');
  const signer = new KeyObjectSigner(id.privateKey, [id.certDer], { keyId: 'clinic-1' });
  const ring = new Keyring().addSigner(signer);
  let signed: string;

  beforeAll(async () => {
    signed = await signXml(envelope, signer);
  });

  it('puts ds:Signature in CHUKYDONVI, last child of the root, with the expected algorithms and X509 KeyInfo', () => {
    expect(signed).toMatch(/<CHUKYDONVI><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/);
    expect(signed).toMatch(/<\/CHUKYDONVI><\/GIAMDINHHS>\s*$/);
    expect(signed).toContain('<Reference URI="">');
    expect(signed).toContain('Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"');
    expect(signed).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>');
    expect(signed).toContain(
      '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>',
    );
    expect(signed).toContain('<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
    expect(signed).toContain(`<X509Certificate>${id.certDer.toString('base64')}</X509Certificate>`);
  });

  it('verifies', () => {
    expect(verifyXml(signed, ring)).toEqual({ valid: true, reason: 'signature verifies', kid: 'clinic-1' });
  });

  it('uses an existing empty CHUKYDONVI element', async () => {
    const withSlot = envelope.replace('</GIAMDINHHS>', '<CHUKYDONVI/>\n</GIAMDINHHS>');
    const s = await signXml(withSlot, signer);
    expect(s.match(/CHUKYDONVI>/g)?.length).toBe(2);
    expect(verifyXml(s, ring).valid).toBe(true);
  });

  it('detects tampering with content, with the signature value, and a foreign certificate', () => {
    expect(
      verifyXml(signed.replace('<MACSKCB>79001</MACSKCB>', '<MACSKCB>79002</MACSKCB>'), ring).valid,
    ).toBe(false);
    expect(
      verifyXml(signed.replace('<SOLUONGHOSO>1</SOLUONGHOSO>', '<SOLUONGHOSO>2</SOLUONGHOSO>'), ring).valid,
    ).toBe(false);
    const sv = /<SignatureValue>([^<]+)<\/SignatureValue>/.exec(signed)?.[1] ?? '';
    const flipped = `${sv.slice(0, 10)}${sv[10] === 'A' ? 'B' : 'A'}${sv.slice(11)}`;
    expect(verifyXml(signed.replace(sv, flipped), ring).valid).toBe(false);
    const other = rsaIdentity('Other clinic');
    const otherRing = new Keyring().addSigner(new KeyObjectSigner(other.privateKey, [other.certDer]));
    expect(verifyXml(signed, otherRing)).toMatchObject({
      valid: false,
      reason: 'the signing certificate is not on the keyring',
    });
  });

  it('is insensitive to nothing but the signature itself: removing it fails', () => {
    const stripped = signed.replace(/<Signature[\s\S]*<\/Signature>/, '');
    expect(verifyXml(stripped, ring).valid).toBe(false);
  });

  it('ECDSA-SHA256 with an EC key', async () => {
    const ec = ecIdentity('EC clinic');
    const ecSigner = new KeyObjectSigner(ec.privateKey, [ec.certDer], { keyId: 'ec' });
    const s = await signXml(envelope, ecSigner);
    expect(s).toContain('xmldsig-more#ecdsa-sha256');
    const ecRing = new Keyring().addSigner(ecSigner);
    expect(verifyXml(s, ecRing).valid).toBe(true);
    expect(verifyXml(s.replace('79001', '79003'), ecRing).valid).toBe(false);
  });
});
