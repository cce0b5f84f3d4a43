import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/** A message as the stand-in server received it: the envelope, and the MIME message decoded by hand. */
export interface ReceivedMail {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** The user the session authenticated as (undefined: no AUTH). */
  readonly user?: string;
  /** Header names in lower case, values unfolded and RFC 2047-decoded. */
  readonly headers: Readonly<Record<string, string>>;
  /** The text/plain and text/html parts, transfer-decoded to UTF-8 strings. */
  readonly text?: string;
  readonly html?: string;
  readonly raw: Buffer;
}

/** What the stand-in was asked, in order: one entry per SMTP command that matters here. */
export interface SmtpEvent {
  readonly kind: 'connect' | 'refused-connect' | 'rcpt' | 'refused-rcpt' | 'data';
  readonly address?: string;
}

type HeaderMap = Record<string, string>;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), adjacent ones joined. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[bqBQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      if (!/^utf-?8$/i.test(charset)) throw new Error(`unexpected charset ${charset}`);
      return bytes.toString('utf8');
    });
}

function parseHeaders(block: string): HeaderMap {
  const headers: HeaderMap = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return headers;
}

function split(entity: string): { headers: HeaderMap; body: string } {
  const i = entity.indexOf('\r\n\r\n');
  return i < 0
    ? { headers: parseHeaders(entity), body: '' }
    : { headers: parseHeaders(entity.slice(0, i)), body: entity.slice(i + 4) };
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    default:
      return Buffer.from(body, 'latin1').toString('utf8');
  }
}

/** The text/plain and text/html leaves of a MIME entity (multipart walked recursively). */
function leaves(entity: string, found: { text?: string; html?: string }): void {
  const { headers, body } = split(entity);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      leaves(part.replace(/^\r\n/, '').replace(/\r\n$/, ''), found);
    }
    return;
  }
  const decoded = decodeBody(body, headers['content-transfer-encoding']);
  if (/^text\/plain/i.test(type)) found.text = decoded.replace(/\r\n/g, '\n');
  else if (/^text\/html/i.test(type)) found.html = decoded.replace(/\r\n/g, '\n');
}

/** Parses a received message (CRLF lines, as SMTP carries them). */
export function parseMail(raw: Buffer): Pick<ReceivedMail, 'headers' | 'text' | 'html'> {
  const entity = raw.toString('latin1');
  const found: { text?: string; html?: string } = {};
  leaves(entity, found);
  return { headers: split(entity).headers, ...found };
}

/**
 * An SMTP server on loopback (the `smtp-server` package, the same code a Node MTA runs), standing in
 * for the clinic's mail provider. It records every message it accepts, decoded, and can refuse:
 * `rejectRecipients` answers 550 to RCPT TO for those addresses; `refuseConnections` answers the
 * next n connections with 421 and closes them (a server shutting down or over its limits).
 */
export class StandInSmtp {
  readonly received: ReceivedMail[] = [];
  readonly events: SmtpEvent[] = [];
  readonly rejectRecipients = new Set<string>();
  refuseConnections = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly user: string,
    readonly password: string,
  ) {}

  static async start(user: string, password: string): Promise<StandInSmtp> {
    const ref: { self?: StandInSmtp } = {};
    const server = new SMTPServer({
      logger: false,
      // No TLS on loopback: smtp:// without STARTTLS; the AUTH is still checked.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onConnect: (_session: SMTPServerSession, cb: (err?: Error | null) => void) => {
        if (ref.self && ref.self.refuseConnections > 0) {
          ref.self.refuseConnections--;
          ref.self.events.push({ kind: 'refused-connect' });
          return cb(smtpError(421, 'mx.stand-in Service not available, closing transmission channel'));
        }
        ref.self?.events.push({ kind: 'connect' });
        cb();
      },
      onAuth: (auth, _session, cb) => {
        if (auth.username === ref.self?.user && auth.password === ref.self?.password)
          return cb(null, { user: auth.username });
        cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
      onRcptTo: (
        address: SMTPServerAddress,
        _session: SMTPServerSession,
        cb: (err?: Error | null) => void,
      ) => {
        if (ref.self?.rejectRecipients.has(address.address)) {
          ref.self.events.push({ kind: 'refused-rcpt', address: address.address });
          return cb(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
        }
        ref.self?.events.push({ kind: 'rcpt', address: address.address });
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const from = session.envelope.mailFrom;
          ref.self?.received.push({
            mailFrom: from ? from.address : '',
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            raw,
            ...parseMail(raw),
          });
          ref.self?.events.push({ kind: 'data' });
          cb(null, `2.0.0 Ok: queued as STANDIN${ref.self?.received.length ?? 0}`);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.server.address() as AddressInfo).port;
    ref.self = new StandInSmtp(server, port, user, password);
    return ref.self;
  }

  url(): string {
    return `smtp://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }

  /** Messages received for one address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.rcptTo.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
