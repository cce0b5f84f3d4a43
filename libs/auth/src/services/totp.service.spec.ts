import { authenticator } from 'otplib';
import { totpStep } from './totp.service';

describe('totpStep', () => {
  const secret = authenticator.generateSecret();
  const now = 1_796_539_695_000;
  const codeAt = (ms: number): string => authenticator.clone({ epoch: ms }).generate(secret);
  const step = Math.floor(now / 30_000);

  it('names the step of a code, one step of drift either side', () => {
    expect(totpStep(codeAt(now), secret, now)).toBe(step);
    expect(totpStep(codeAt(now - 30_000), secret, now)).toBe(step - 1);
    expect(totpStep(codeAt(now + 30_000), secret, now)).toBe(step + 1);
  });

  it('refuses codes further away, of another secret, or not six digits', () => {
    expect(totpStep(codeAt(now - 90_000), secret, now)).toBeUndefined();
    expect(totpStep(codeAt(now), authenticator.generateSecret(), now)).toBeUndefined();
    expect(totpStep('12345', secret, now)).toBeUndefined();
    expect(totpStep('abcdef', secret, now)).toBeUndefined();
  });
});
