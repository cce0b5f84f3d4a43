import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const MIN_LENGTH = 10;
const MAX_LENGTH = 128;
/** zxcvbn score 3: "safely unguessable: moderate protection from offline slow-hash scenario". */
const MIN_SCORE = 3;
/** OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1. */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

/** Password policy (length 10–128, zxcvbn score ≥ 3 against the user's own data) and argon2id hashing. */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;

  /** Throws AUTH.WEAK_PASSWORD (400) with a bilingual explanation when the password is refused. */
  assertStrong(password: string, userInputs: string[] = []): void {
    const problem = this.weakness(password, userInputs);
    if (problem) {
      throw new DomainError('AUTH.WEAK_PASSWORD', 400, problem);
    }
  }

  /** The reason a password is refused, or undefined when it is acceptable. */
  weakness(password: string, userInputs: string[] = []): string | undefined {
    if (password.length < MIN_LENGTH) {
      return `password: at least ${MIN_LENGTH} characters / Mật khẩu cần ít nhất ${MIN_LENGTH} ký tự`;
    }
    if (password.length > MAX_LENGTH) {
      return `password: at most ${MAX_LENGTH} characters / Mật khẩu tối đa ${MAX_LENGTH} ký tự`;
    }
    const result = zxcvbn.check(password, userInputs.filter(Boolean));
    if (result.score < MIN_SCORE) {
      const hint = result.feedback.warning ?? result.feedback.suggestions[0] ?? 'too easy to guess';
      return `password: too weak (${hint}) / Mật khẩu quá yếu, dễ đoán`;
    }
    return undefined;
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    // Unknown accounts still cost one argon2 verification, so timing does not reveal usernames.
    const target = passwordHash ?? (await (this.dummyHash ??= this.hash('mekong-dummy-password')));
    try {
      return (await verify(target, password)) && passwordHash !== undefined;
    } catch {
      return false;
    }
  }
}
