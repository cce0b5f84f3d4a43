import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import type { SuffixCase } from './prescription-code';

/** The national e-prescription connector's settings (docs/eprescription.md "Configuration"). */
export interface EprescriptionSettings {
  /** Base URL of the national system (https://…; http only to a loopback stand-in). */
  readonly url: string;
  /** Encrypts the doctors' national-system passwords at rest (never stored in the database). */
  readonly secretKey: string;
  readonly suffix: SuffixCase;
  readonly timeoutMs: number;
  /** A submit running longer than this counts as lost (the process died) and is tried again. */
  readonly expireSeconds: number;
  /** Seconds before the first retry of a network error or 5xx (doubling), and how many retries. */
  readonly retryDelaySeconds: number;
  readonly retryLimit: number;
  /** Prescriptions sent at once (the job queue's poll waits for them; a slow system does not hold one behind another). */
  readonly concurrency: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function int(
  vars: Readonly<Record<string, string | undefined>>,
  name: string,
  dflt: number,
  min: number,
  max: number,
): number {
  const raw = vars[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * Read once at start from the app's configuration (AppConfig.eprescription, like claims'): EPRESCRIPTION_URL,
 * EPRESCRIPTION_SECRET_KEY (both or neither; absent: the connector is off), EPRESCRIPTION_CODE_SUFFIX
 * (`upper`, the circular's N/H/C — default — or `lower`, the connection standard's examples),
 * EPRESCRIPTION_TIMEOUT_MS, EPRESCRIPTION_EXPIRE_SECONDS, EPRESCRIPTION_RETRY_DELAY_SECONDS,
 * EPRESCRIPTION_RETRY_LIMIT, EPRESCRIPTION_CONCURRENCY. A bad value stops the start, naming the variable. Patient identifiers
 * (CCCD) travel only over TLS: a plain-http URL is refused unless it points at this machine.
 */
@Injectable()
export class EprescriptionConfig {
  readonly settings?: EprescriptionSettings;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = EprescriptionConfig.parse(config.eprescription.env);
  }

  static parse(vars: Readonly<Record<string, string | undefined>>): EprescriptionSettings | undefined {
    const url = vars.EPRESCRIPTION_URL;
    const secretKey = vars.EPRESCRIPTION_SECRET_KEY;
    if (!url && !secretKey) return undefined;
    if (!url) throw new Error('EPRESCRIPTION_URL is required with EPRESCRIPTION_SECRET_KEY');
    if (!secretKey || secretKey.length < 32)
      throw new Error('EPRESCRIPTION_SECRET_KEY is required with EPRESCRIPTION_URL (32 characters or more)');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error('EPRESCRIPTION_URL is not a URL');
    }
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)))
      throw new Error('EPRESCRIPTION_URL must be https:// (patient identifiers are sent)');
    const suffix = vars.EPRESCRIPTION_CODE_SUFFIX ?? 'upper';
    if (suffix !== 'upper' && suffix !== 'lower')
      throw new Error('EPRESCRIPTION_CODE_SUFFIX must be upper or lower');
    return {
      url: url.replace(/\/+$/, ''),
      secretKey,
      suffix,
      timeoutMs: int(vars, 'EPRESCRIPTION_TIMEOUT_MS', 15_000, 100, 600_000),
      expireSeconds: int(vars, 'EPRESCRIPTION_EXPIRE_SECONDS', 120, 2, 3600),
      retryDelaySeconds: int(vars, 'EPRESCRIPTION_RETRY_DELAY_SECONDS', 30, 1, 3600),
      retryLimit: int(vars, 'EPRESCRIPTION_RETRY_LIMIT', 12, 0, 1000),
      concurrency: int(vars, 'EPRESCRIPTION_CONCURRENCY', 4, 1, 64),
    };
  }
}
