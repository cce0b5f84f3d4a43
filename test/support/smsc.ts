import type { AddressInfo } from 'node:net';
import * as smpp from 'smpp';

/** A submit_sm as the stand-in SMSC received it: its fields parsed from the raw bytes, and the id it gave. */
export interface ReceivedSubmit {
  readonly serviceType: string;
  readonly sourceAddrTon: number;
  readonly sourceAddrNpi: number;
  readonly sourceAddr: string;
  readonly destAddrTon: number;
  readonly destAddrNpi: number;
  readonly destinationAddr: string;
  readonly esmClass: number;
  readonly registeredDelivery: number;
  readonly dataCoding: number;
  /** short_message exactly as sent (UDH included). */
  readonly shortMessage: Buffer;
  /** The whole PDU body after command_length. */
  readonly raw: Buffer;
  /** What the SMSC answered: a message_id, or the command_status it refused with. */
  readonly messageId?: string;
  readonly refusedWith?: number;
  /** Received while `hold` was on: never answered, so never accepted (the client may send it again). */
  readonly held?: boolean;
}

/** submit_sm's mandatory parameters (SMPP 3.4 §4.4.1), read from the raw body by hand, not by node-smpp. */
function parseSubmitSm(raw: Buffer): Omit<ReceivedSubmit, 'messageId' | 'refusedWith'> {
  let at = 12; // command_id, command_status, sequence_number
  const cstring = (): string => {
    const end = raw.indexOf(0, at);
    const s = raw.subarray(at, end).toString('latin1');
    at = end + 1;
    return s;
  };
  const byte = (): number => raw[at++] as number;
  const serviceType = cstring();
  const sourceAddrTon = byte();
  const sourceAddrNpi = byte();
  const sourceAddr = cstring();
  const destAddrTon = byte();
  const destAddrNpi = byte();
  const destinationAddr = cstring();
  const esmClass = byte();
  byte(); // protocol_id
  byte(); // priority_flag
  cstring(); // schedule_delivery_time
  cstring(); // validity_period
  const registeredDelivery = byte();
  byte(); // replace_if_present_flag
  const dataCoding = byte();
  byte(); // sm_default_msg_id
  const length = byte();
  const shortMessage = Buffer.from(raw.subarray(at, at + length));
  return {
    serviceType,
    sourceAddrTon,
    sourceAddrNpi,
    sourceAddr,
    destAddrTon,
    destAddrNpi,
    destinationAddr,
    esmClass,
    registeredDelivery,
    dataCoding,
    shortMessage,
    raw,
  };
}

/**
 * A stand-in SMSC on loopback over node-smpp's server mode: accepts bind_transceiver with its
 * system_id and password (refuses others with ESME_RINVPASWD), answers submit_sm with message ids
 * (or ESME_RTHROTTLED while `throttle` > 0), and sends delivery receipts and incoming messages
 * as deliver_sm to the bound session.
 */
export class StandInSmsc {
  readonly submits: ReceivedSubmit[] = [];
  readonly binds: { systemId: string; password: string; command: string; accepted: boolean }[] = [];
  /** The next `throttle` submit_sm are answered ESME_RTHROTTLED. */
  throttle = 0;
  /** When set, the next submit_sm's receipt (with this stat) is sent before its submit_sm_resp. */
  receiptFirst?: string;
  /**
   * While true, submit_sm are read and recorded but never answered: they stay in the client's
   * window, in flight, as when the SMSC is slow — the moment to kill the client. An unanswered
   * submit_sm was not accepted: the SMSC gave it no message_id and will not deliver it.
   */
  hold = false;
  private nextId = 0;
  private readonly bound = new Set<smpp.Session>();

  private constructor(
    private readonly server: smpp.Server,
    readonly systemId: string,
    public password: string,
  ) {}

  static async start(systemId: string, password: string): Promise<StandInSmsc> {
    const holder: { smsc?: StandInSmsc } = {};
    const server = smpp.createServer({}, (session) => holder.smsc?.accept(session));
    const smsc = new StandInSmsc(server, systemId, password);
    holder.smsc = smsc;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return smsc;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(systemId = this.systemId, password = this.password): string {
    return `smpp://${encodeURIComponent(systemId)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  private accept(session: smpp.Session): void {
    // Keep each PDU's raw bytes: node-smpp reads a PDU's body with one read(command_length - 4).
    let lastRaw: Buffer | undefined;
    const socket = session.socket as unknown as { read(n?: number): Buffer | null };
    const read = socket.read.bind(socket);
    socket.read = (n?: number): Buffer | null => {
      const b = read(n);
      if (b && n !== 4) lastRaw = b;
      return b;
    };
    session.on('error', () => undefined);
    session.on('close', () => this.bound.delete(session));
    for (const command of ['bind_transceiver', 'bind_transmitter', 'bind_receiver'])
      session.on(command, (pdu: smpp.PDU) => {
        const systemId = String(pdu.system_id);
        const password = String(pdu.password);
        const accepted =
          command === 'bind_transceiver' && systemId === this.systemId && password === this.password;
        this.binds.push({ systemId, password, command, accepted });
        if (!accepted) {
          session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
          return;
        }
        this.bound.add(session);
        session.send(pdu.response({ system_id: 'STANDIN' }));
      });
    session.on('submit_sm', (pdu: smpp.PDU) => {
      const fields = parseSubmitSm(lastRaw ?? Buffer.alloc(0));
      if (this.hold) {
        this.submits.push({ ...fields, held: true });
        return;
      }
      if (this.throttle > 0) {
        this.throttle--;
        this.submits.push({ ...fields, refusedWith: smpp.ESME_RTHROTTLED });
        session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
        return;
      }
      const messageId = (0x3e8a00 + ++this.nextId).toString(16).toUpperCase(); // hexadecimal, as many SMSCs
      this.submits.push({ ...fields, messageId });
      const stat = this.receiptFirst;
      if (stat) {
        // An SMSC may report the outcome before the client has even read the submit_sm_resp.
        this.receiptFirst = undefined;
        void this.receipt(messageId, stat, '002');
        setTimeout(() => session.send(pdu.response({ message_id: messageId })), 50);
        return;
      }
      session.send(pdu.response({ message_id: messageId }));
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
  }

  /** The submits the SMSC accepted (a message_id given). */
  get accepted(): ReceivedSubmit[] {
    return this.submits.filter((s) => s.messageId !== undefined);
  }

  private deliverSm(options: Record<string, unknown>): Promise<number> {
    const session = [...this.bound][0];
    if (!session) return Promise.reject(new Error('no bound transceiver session'));
    return new Promise<number>((resolve) =>
      session.deliver_sm(options, (resp) => resolve(resp.command_status)),
    );
  }

  /**
   * A delivery receipt (esm_class 0x04) for `messageId` — its `id:` in decimal when `decimalId`, as
   * some SMSCs write it; resolves to the deliver_sm_resp's command_status.
   */
  receipt(messageId: string, stat: string, err = '000', decimalId = false): Promise<number> {
    const s = this.submits.find((x) => x.messageId === messageId);
    const id = decimalId ? BigInt(`0x${messageId}`).toString(10) : messageId;
    return this.deliverSm({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: s?.destinationAddr ?? '',
      dest_addr_ton: 5,
      destination_addr: s?.sourceAddr ?? '',
      esm_class: 0x04,
      short_message: `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2612061200 done date:2612061201 stat:${stat} err:${err} text:`,
    });
  }

  /** An incoming message (MO) from `from` (international digits, no '+'); UCS-2 when not GSM-7. */
  incoming(from: string, text: string, to = 'MekongHlth'): Promise<number> {
    return this.deliverSm({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: from,
      destination_addr: to,
      esm_class: 0,
      data_coding: /^[\x20-\x7e]*$/.test(text) ? 0 : 8,
      short_message: text,
    });
  }

  /** Drops every connection (the client must reconnect and bind again). */
  dropSessions(): void {
    for (const s of this.server.sessions) s.destroy();
  }

  async close(): Promise<void> {
    this.dropSessions();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
