import type { Logger } from '@nestjs/common';
import type { SmsConfig } from '@mekong/common';
import * as smpp from 'smpp';
import type { SmsPart } from './sms-encoding';

/** What /health says about the SMPP link. */
export type SmppState = 'off' | 'binding' | 'bound' | 'refused' | 'throttled';

/** The SMSC answered ESME_RTHROTTLED: send again later. */
export class SmppThrottledError extends Error {
  constructor() {
    super('SMSC throttled the submit (ESME_RTHROTTLED); retried later');
    this.name = 'SmppThrottledError';
  }
}

/** The link is not bound (yet, or the SMSC refused the bind): nothing was sent. */
export class SmppNotBoundError extends Error {
  constructor(state: SmppState, detail?: string) {
    super(`SMPP link not bound (${state}${detail ? `: ${detail}` : ''}); nothing sent, retried later`);
    this.name = 'SmppNotBoundError';
  }
}

/** A deliver_sm (receipt or incoming message) handler: resolves to the deliver_sm_resp's command_status. */
export type DeliverHandler = (pdu: smpp.PDU) => Promise<number>;

const THROTTLE_HOLD_MS = 10_000;
const RESPONSE_TIMEOUT_MS = 30_000;
const BIND_WAIT_MS = 5_000;
const ENQUIRE_LINK_MS = 30_000;

/**
 * One SMPP 3.4 transceiver session to the SMSC (node-smpp): bind_transceiver — the one bind that
 * both submits and receives receipts and replies —, reconnect with exponential backoff (1/8 of the
 * ceiling, at most 1 s, doubling to SMPP_RECONNECT_MAX_SECONDS), a window of submit_sm in flight,
 * every deliver_sm answered. Owns no data: the channel records what it returns.
 */
export class SmppLink {
  private session?: smpp.Session;
  private bound = false;
  private refused?: string;
  private closed = false;
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private throttledUntil = 0;
  private inFlight = 0;
  private readonly windowWaiters: (() => void)[] = [];
  private readonly bindWaiters = new Set<() => void>();
  /** Rejections of the submits waiting for a response on the current session. */
  private readonly pending = new Set<(err: Error) => void>();

  constructor(
    private readonly cfg: SmsConfig,
    private readonly logger: Logger,
    private readonly onDeliver: DeliverHandler,
  ) {}

  get state(): SmppState {
    if (this.bound) return Date.now() < this.throttledUntil ? 'throttled' : 'bound';
    return this.refused ? 'refused' : 'binding';
  }

  get refusal(): string | undefined {
    return this.refused;
  }

  start(): void {
    this.closed = false;
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const session = smpp.connect({
      host: this.cfg.host,
      port: this.cfg.port,
      auto_enquire_link_period: ENQUIRE_LINK_MS,
    });
    this.session = session;
    session.on('connect', () => {
      session.bind_transceiver(
        { system_id: this.cfg.systemId, password: this.cfg.password, interface_version: 0x34 },
        (pdu) => {
          if (pdu.command_status === smpp.ESME_ROK) {
            this.bound = true;
            this.refused = undefined;
            this.attempt = 0;
            this.logger.log(`SMPP bound as transceiver to ${this.cfg.host}:${this.cfg.port}`);
            for (const wake of this.bindWaiters) wake();
            return;
          }
          this.refused = `bind_transceiver refused, command_status 0x${pdu.command_status.toString(16).padStart(8, '0')}`;
          this.logger.error(`SMPP ${this.refused}: check SMPP_URL's system_id and password`);
          session.close();
        },
      );
    });
    session.on('deliver_sm', (pdu: smpp.PDU) => {
      void this.onDeliver(pdu)
        .catch((err: unknown) => {
          this.logger.error(`deliver_sm not handled: ${err instanceof Error ? err.message : String(err)}`);
          return smpp.ESME_RX_T_APPN; // the SMSC delivers it again later
        })
        .then((status) => session.send(pdu.response({ command_status: status })));
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('error', (err: Error) => this.logger.warn(`SMPP connection: ${err.message}`));
    session.on('close', () => {
      if (this.session !== session) return;
      this.bound = false;
      this.session = undefined;
      for (const reject of this.pending) reject(new Error('SMPP connection closed before submit_sm_resp'));
      this.pending.clear();
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const maxMs = this.cfg.reconnectMaxSeconds * 1000;
    const delay = Math.min(maxMs, Math.min(1000, maxMs / 8) * 2 ** this.attempt);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Waits (briefly) for a bind under way, then for a place in the window. */
  private async acquire(): Promise<smpp.Session> {
    if (!this.bound && !this.refused) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.bindWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, BIND_WAIT_MS);
        this.bindWaiters.add(wake);
      });
    }
    if (!this.bound || !this.session) throw new SmppNotBoundError(this.state, this.refused);
    while (this.inFlight >= this.cfg.window) await new Promise<void>((r) => this.windowWaiters.push(r));
    this.inFlight++;
    if (!this.bound || !this.session) {
      this.release();
      throw new SmppNotBoundError(this.state, this.refused);
    }
    return this.session;
  }

  private release(): void {
    this.inFlight--;
    this.windowWaiters.shift()?.();
  }

  /**
   * submit_sm of one part to `destination` (E.164 digits, no '+'); resolves to the SMSC's
   * message_id once its submit_sm_resp arrives. Throws SmppThrottledError, SmppNotBoundError, or
   * an Error naming another command_status — in every case the part may be submitted again.
   */
  async submit(destination: string, part: SmsPart): Promise<string> {
    const session = await this.acquire();
    try {
      return await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error('no submit_sm_resp within 30 s')), RESPONSE_TIMEOUT_MS);
        const done = (err: Error | undefined, id?: string): void => {
          clearTimeout(timer);
          this.pending.delete(fail);
          if (err) reject(err);
          else resolve(id as string);
        };
        const fail = (err: Error): void => done(err);
        this.pending.add(fail);
        const sent = session.submit_sm(
          {
            service_type: '',
            source_addr_ton: 5, // alphanumeric
            source_addr_npi: 0,
            source_addr: this.cfg.sender,
            dest_addr_ton: 1, // international
            dest_addr_npi: 1, // ISDN (E.164)
            destination_addr: destination,
            esm_class: part.esmClass,
            registered_delivery: 1, // a receipt for the final outcome, delivered or not
            data_coding: part.dataCoding,
            short_message: part.bytes,
          },
          (resp) => {
            if (resp.command_status === smpp.ESME_ROK) return done(undefined, String(resp.message_id));
            if (resp.command_status === smpp.ESME_RTHROTTLED) {
              this.throttledUntil = Date.now() + THROTTLE_HOLD_MS;
              return done(new SmppThrottledError());
            }
            done(
              new Error(
                `submit_sm refused, command_status 0x${resp.command_status.toString(16).padStart(8, '0')}`,
              ),
            );
          },
        );
        if (!sent) done(new SmppNotBoundError('binding', 'socket not writable'));
      });
    } finally {
      this.release();
    }
  }

  /** Unbinds and stops reconnecting. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    this.session = undefined;
    this.bound = false;
    for (const wake of this.bindWaiters) wake();
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => session.destroy(() => resolve()), 1000);
      const unbound = session.unbind({}, () => {
        clearTimeout(timer);
        session.close(() => resolve());
      });
      if (!unbound) {
        clearTimeout(timer);
        session.destroy(() => resolve());
      }
    });
  }
}
