import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * The process environment a Mekong Health deployable understands, validated once at boot.
 * Every variable is documented in README.md ("Configuration").
 */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;
  @IsOptional() @IsString() @MinLength(1) DATA_DIR?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) DB_POOL_SIZE?: number;

  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL?: LogLevel;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(3) @MaxLength(64) ADMIN_USERNAME?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(128) ADMIN_PASSWORD?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(60) @Max(86400) ACCESS_TOKEN_TTL?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(300) @Max(31536000) REFRESH_TOKEN_TTL?: number;
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  AUTH_JWKS_URL?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) LOGIN_MAX_FAILURES_PER_ACCOUNT?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) LOGIN_MAX_FAILURES_PER_ADDRESS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(86400) LOGIN_FAILURE_WINDOW?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1440) CLINICIAN_IDLE_MINUTES?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) BREAK_GLASS_MAX_PER_DAY?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString() MEDIASOUP_WORKER_BIN?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(256) MEDIA_WORKERS?: number;
  @IsOptional() @Transform(emptyToUndefined) @IsString() MEDIA_LISTEN_IP?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() MEDIA_ANNOUNCED_IP?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1440) CONSULT_MARGIN_MINUTES?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600) RECONNECT_GRACE_SECONDS?: number;

  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(16) METRICS_TOKEN?: string;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(600000) SHUTDOWN_TIMEOUT_MS?: number;
  @IsOptional()
  @Matches(
    /^(true|false|[1-9]|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*)$/,
    {
      message:
        'TRUST_PROXY is false, a number of proxy hops (1-9), or a comma list of proxy addresses/CIDRs (loopback, uniquelocal, 10.0.0.0/8...)',
    },
  )
  TRUST_PROXY?: string;
  @IsOptional()
  @Matches(/^(https?:\/\/[^,\s]+)(,https?:\/\/[^,\s]+)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins',
  })
  CORS_ORIGINS?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000000) RATE_LIMIT_PER_ACCOUNT?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000000) RATE_LIMIT_PER_ADDRESS?: number;
  @IsOptional()
  @Matches(/^((patient|practitioner|clinic-staff|admin)(,(patient|practitioner|clinic-staff|admin))*)?$/, {
    message: 'MFA_REQUIRED_ROLES must be a comma-separated list of roles (practitioner,admin,...)',
  })
  MFA_REQUIRED_ROLES?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(5) @Max(86400) HOLD_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(366) SCHEDULE_HORIZON_DAYS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1440) NOSHOW_GRACE_MINUTES?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1440) WAITLIST_OFFER_MINUTES?: number;
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  NOTIFY_WEBHOOK_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(16) NOTIFY_WEBHOOK_SECRET?: string;
  @IsOptional() @Type(() => Number) @Min(0.5) @Max(60) JOB_POLL_SECONDS?: number;
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^smpp:\/\/[^:@/\s]+:[^@/\s]*@[^:/\s]+:\d{1,5}\/?$/, {
    message: 'SMPP_URL must look like smpp://system_id:password@host:port',
  })
  SMPP_URL?: string;
  // An alphanumeric sender name (brandname) as registered with the operators: at most 11 characters.
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9 ._-]{1,11}$/, { message: 'SMS_SENDER must be 1-11 letters, digits, space . _ -' })
  SMS_SENDER?: string;
  @IsOptional() @IsIn(['gsm7', 'ucs2']) SMS_ENCODING?: 'gsm7' | 'ucs2';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) SMPP_WINDOW?: number;
  // Seconds (fractions allowed, for tests) the reconnect backoff grows to (it starts at 1/8 of it, at most 1 s).
  @IsOptional() @Type(() => Number) @Min(0.1) @Max(3600) SMPP_RECONNECT_MAX_SECONDS?: number;
  // Seconds a notification's delivery may run before it counts as lost with its process (and is run again).
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600) NOTIFY_DELIVERY_EXPIRE_SECONDS?: number;
  // Deliveries run side by side (each waits for its place in the SMPP window).
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256) NOTIFY_CONCURRENCY?: number;
  // Minutes (fractions allowed, for tests) a channel has to confirm a message (an SMS its delivery receipt) before the next channel is tried.
  @IsOptional() @Type(() => Number) @Min(0.01) @Max(1440) NOTIFY_FALLBACK_MINUTES?: number;
  // Quiet hours in Vietnam (HH:MM-HH:MM) when only urgent messages reach people outside the app; `off`: none.
  @IsOptional()
  @Matches(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, {
    message: 'NOTIFY_QUIET_HOURS must be HH:MM-HH:MM (Vietnam time) or off',
  })
  NOTIFY_QUIET_HOURS?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^smtps?:\/\/(?:[^:@/\s]+(?::[^@/\s]*)?@)?[^:@/\s]+:\d{1,5}\/?$/, {
    message: 'SMTP_URL must look like smtp://[user:password@]host:port (or smtps://)',
  })
  SMTP_URL?: string;
  // The From of every email: an address, or a display name and an address in angle brackets.
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^(?:[^<>\r\n"]+ <[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: 'MAIL_FROM must be an address (no-reply@example.vn) or "Name <no-reply@example.vn>"',
  })
  MAIL_FROM?: string;
  // Seconds (fractions allowed, for tests) to connect and to get the greeting; 3× that of silence mid-message.
  @IsOptional() @Type(() => Number) @Min(0.1) @Max(300) SMTP_TIMEOUT_SECONDS?: number;
  // Zalo Notification Service (docs/notifications-zalo.md): the app's id and secret key, the OA's
  // first refresh token (single-use: the server keeps each new one, encrypted), the endpoints, and
  // which approved template each topic uses (topic=templateId, comma-separated).
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\d{1,30}$/, { message: 'ZALO_APP_ID must be digits' })
  ZALO_APP_ID?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(8) ZALO_SECRET_KEY?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(8) ZALO_REFRESH_TOKEN?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  ZALO_API_URL?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  ZALO_OAUTH_URL?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[a-z0-9-]+=\d{1,30}(?:,[a-z0-9-]+=\d{1,30})*$/, {
    message: 'ZALO_TEMPLATES must look like appointment-reminder=123456,appointment-cancelled=123457',
  })
  ZALO_TEMPLATES?: string;
  // Minutes (fractions allowed, for tests) before an unacknowledged NEWS2 alert escalates.
  @IsOptional() @Type(() => Number) @Min(0.05) @Max(1440) NEWS2_ESCALATE_MINUTES?: number;
  // Minutes (fractions allowed, for tests) an on-call doctor an alert was routed to keeps the
  // patient's record (a CareTeam the server writes); at most 7 days, the longest roster row.
  @IsOptional() @Type(() => Number) @Min(0.05) @Max(10080) NEWS2_ONCALL_ACCESS_MINUTES?: number;
  // Where resumable uploads (tus) are kept until they finish (default: DATA_DIR/uploads).
  @IsOptional() @IsString() @MinLength(1) UPLOAD_DIR?: string;
  // An e-consultation's answer deadline per priority, minutes: "stat,asap,urgent,routine" (fractions for tests).
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\d+(\.\d+)?(,\d+(\.\d+)?){3}$/, {
    message: 'ECONSULT_DEADLINE_MINUTES must be four numbers of minutes: stat,asap,urgent,routine',
  })
  ECONSULT_DEADLINE_MINUTES?: string;
  // The national e-prescription system (docs/eprescription.md "Configuration"): checked by the
  // library's parser at start (a bad value stops the start, naming the variable).
  @IsOptional() @IsString() EPRESCRIPTION_URL?: string;
  @IsOptional() @IsString() EPRESCRIPTION_SECRET_KEY?: string;
  @IsOptional() @IsString() EPRESCRIPTION_CODE_SUFFIX?: string;
  @IsOptional() @IsString() EPRESCRIPTION_TIMEOUT_MS?: string;
  @IsOptional() @IsString() EPRESCRIPTION_EXPIRE_SECONDS?: string;
  @IsOptional() @IsString() EPRESCRIPTION_RETRY_DELAY_SECONDS?: string;
  @IsOptional() @IsString() EPRESCRIPTION_RETRY_LIMIT?: string;
  @IsOptional() @IsString() EPRESCRIPTION_CONCURRENCY?: string;
  // Health-insurance claims settings per facility (docs/claims-xml130.md): the JSON itself, or a file holding it.
  @IsOptional() @IsString() @MinLength(2) CLAIMS_CONFIG?: string;
  @IsOptional() @IsString() @MinLength(1) CLAIMS_CONFIG_FILE?: string;
  // The BHXH claims gateway (docs/claims-submission.md): base URL, account, password (or a file), timeout.
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  BHXH_GATEWAY_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(1) BHXH_USERNAME?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(1) BHXH_PASSWORD?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() @MinLength(1) BHXH_PASSWORD_FILE?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(600000) BHXH_TIMEOUT_MS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600) BHXH_RETRY_DELAY_SECONDS?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1000) BHXH_RETRY_LIMIT?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(2) @Max(3600) BHXH_EXPIRE_SECONDS?: number;
  // Signatures of clinical entries and claims (docs/signatures.md): pkcs12 | remote | ephemeral (a key made at
  // start, no legal validity; the default outside production) | off. Production must choose.
  @IsOptional() @IsIn(['pkcs12', 'remote', 'ephemeral', 'off']) SIGNING_MODE?:
    'pkcs12' | 'remote' | 'ephemeral' | 'off';
  @IsOptional() @IsString() @MinLength(1) SIGNING_KEY_ID?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_P12_PATH?: string;
  @IsOptional() @IsString() SIGNING_P12_PASSPHRASE?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_P12_PASSPHRASE_FILE?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_REMOTE_URL?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_REMOTE_CREDENTIAL_ID?: string;
  @IsOptional() @IsString() SIGNING_REMOTE_TOKEN?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_REMOTE_TOKEN_FILE?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_RETIRED_CERTS?: string;
  @IsOptional() @IsString() @MinLength(1) SIGNING_TRUST_ANCHORS?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) FHIR_BUNDLE_MAX_ENTRIES?: number;
  // At most the search engine's hard page size (MAX_COUNT, 1000).
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) FHIR_COUNT_MAX?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) FHIR_INCLUDE_MAX?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10) FHIR_INCLUDE_MAX_DEPTH?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(600000) FHIR_REQUEST_BUDGET_MS?: number;
}

/** What one FHIR request may cost: refused up front (caps) or stopped and rolled back (budget). */
export interface FhirLimits {
  /** Entries of one transaction or batch Bundle (413 beyond). */
  readonly bundleMaxEntries: number;
  /** Largest `_count` (400 beyond). */
  readonly countMax: number;
  /** Resources `_include`/`_revinclude` may add to one page (400 beyond). */
  readonly includeMax: number;
  /** Levels of includes, the first one counted, that `:iterate` may follow (400 beyond). */
  readonly includeMaxDepth: number;
  /** Wall-clock milliseconds a Bundle or search may run before it is stopped (503, rolled back). */
  readonly requestBudgetMs: number;
}

/** Typed, defaulted configuration derived from the environment. */
export interface SchedulingConfig {
  /** How long a pending hold keeps its slot (seconds). */
  readonly holdSeconds: number;
  /** How far ahead availability rules materialise slots when the Schedule sets no horizon. */
  readonly horizonDays: number;
  /** Minutes after start without anyone arriving before a booked appointment becomes noshow. */
  readonly noShowGraceMinutes: number;
  /** Minutes a freed slot is offered to the first patient on the waitlist. */
  readonly waitlistOfferMinutes: number;
  /** Webhook notification channel: where to POST, and the HMAC secret signing each body. */
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
  /** Job queue polling interval (seconds, ≥ 0.5). */
  readonly jobPollSeconds: number;
}

export interface SmsConfig {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly password: string;
  /** source_addr of every submit_sm: the registered alphanumeric sender name. */
  readonly sender: string;
  /** gsm7 (Vietnamese without diacritics, 160 per part) or ucs2 (with diacritics, 70 per part). */
  readonly encoding: 'gsm7' | 'ucs2';
  /** submit_sm in flight at once (without their submit_sm_resp). */
  readonly window: number;
  /** The reconnect backoff's ceiling (seconds). */
  readonly reconnectMaxSeconds: number;
}

export interface SmtpConfig {
  /** smtps:// — TLS from the first byte (port 465); smtp:// — STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  /** The From of every email (and the envelope's MAIL FROM). */
  readonly from: { readonly name?: string; readonly address: string };
  /** To connect and to get the greeting (seconds); a socket silent for 3× this mid-message fails too. */
  readonly timeoutSeconds: number;
}

export interface ZaloConfig {
  readonly appId: string;
  readonly secretKey: string;
  /** The refresh token an operator got when authorising the app; used only until the server stores one. */
  readonly refreshToken: string;
  /** Base of the ZNS API (`/message/template` is appended). */
  readonly apiUrl: string;
  /** Base of Zalo's OAuth (`/v4/oa/access_token` is appended). */
  readonly oauthUrl: string;
  /** The approved ZNS template id per notification topic; a topic without one is not sent by Zalo. */
  readonly templates: Readonly<Record<string, string>>;
}

export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** External base URL; tokens carry it as issuer. Absent: derived from the port. */
  readonly publicUrl: string;
  readonly database: { readonly url?: string; readonly dataDir: string; readonly poolSize: number };
  readonly logLevel: LogLevel;
  readonly admin?: { readonly username: string; readonly password: string };
  readonly auth: {
    readonly accessTokenTtl: number;
    readonly refreshTokenTtl: number;
    /** Remote JWKS for deployables that verify tokens but do not issue them. */
    readonly jwksUrl?: string;
    readonly maxFailuresPerAccount: number;
    readonly maxFailuresPerAddress: number;
    readonly failureWindowSeconds: number;
    /** Sessions of practitioners, clinic staff and admins end after this long without a refresh. */
    readonly clinicianIdleMinutes: number;
  };
  /** Emergency access: openings one practitioner may make in any 24 hours (429 beyond). */
  readonly breakGlass: { readonly maxPerDay: number };
  readonly media: {
    readonly workerBin?: string;
    readonly workers: number;
    /** Address WebRTC transports listen on, and the one announced to browsers (public IP behind NAT). */
    readonly listenIp: string;
    readonly announcedIp?: string;
  };
  readonly consultation: {
    /** Minutes before start and after end during which an appointment's room exists. */
    readonly marginMinutes: number;
    /** Seconds a dropped participant keeps their place before the others are told they left. */
    readonly reconnectGraceSeconds: number;
  };
  readonly metricsToken?: string;
  readonly bodyLimit: string;
  readonly shutdownTimeoutMs: number;
  /**
   * Which proxies' X-Forwarded-For the client address is taken from (Express 'trust proxy'): false,
   * a hop count, or the proxies' addresses. Never "every hop": the left of that header is the
   * client's to write, and rate limits key on the address.
   */
  readonly trustProxy: false | number | string;
  /** Browser origins allowed by CORS (none: same origin only). */
  readonly corsOrigins: readonly string[];
  /** Requests per minute per account (bearer token) and per client address. */
  readonly rateLimit: { readonly perAccount: number; readonly perAddress: number };
  /** Roles that must sign in with a TOTP second factor. */
  readonly mfaRequiredRoles: readonly string[];
  readonly scheduling: SchedulingConfig;
  /** The SMS channel over SMPP 3.4 (docs/notifications-sms.md); absent: SMS is off. */
  readonly sms?: SmsConfig;
  /** Delivery jobs (docs/notifications.md): how long one may run, how many run at once. */
  readonly notify: {
    readonly deliveryExpireSeconds: number;
    readonly concurrency: number;
    /** Seconds a channel has to confirm a message before the next channel is tried. */
    readonly fallbackSeconds: number;
    /** Minutes of the Vietnam day; undefined: no quiet hours. */
    readonly quietHours?: { readonly from: number; readonly until: number };
  };
  /** The email channel over SMTP (docs/notifications-email.md); absent: email is off. */
  readonly smtp?: SmtpConfig;
  /** The Zalo Notification Service channel (docs/notifications-zalo.md); absent: Zalo is off. */
  readonly zalo?: ZaloConfig;
  readonly fhir: FhirLimits;
  readonly care: {
    /**
     * An alert nobody acknowledged escalates after this many minutes (LOCAL POLICY, default 15:
     * half the 30 minutes RCP NEWS2 allows for an emergency assessment, docs/care.md).
     */
    readonly news2EscalateMinutes: number;
    /**
     * An on-call doctor a NEWS2 alert is routed (or escalated) to is in the patient's care for this
     * many minutes (LOCAL POLICY, default 1440 = 24 h; docs/care.md § The on-call doctor's access).
     */
    readonly news2OnCallAccessMinutes: number;
  };
  /**
   * Signatures (docs/signatures.md): the mode and the SIGNING_* settings as given (the signing
   * library reads them; secrets may come from *_FILE).
   */
  readonly signing: {
    /** Undefined in production when not set: a deployable that signs refuses to start. */
    readonly mode?: 'pkcs12' | 'remote' | 'ephemeral' | 'off';
    readonly env: Readonly<Record<string, string>>;
  };
  /** The national e-prescription connector's EPRESCRIPTION_* variables, parsed by libs/eprescription. */
  readonly eprescription: { readonly env: Readonly<Record<string, string>> };
  /** Health-insurance claims (docs/claims-xml130.md): per-facility settings, as JSON or a file. */
  readonly claims: {
    readonly config?: string;
    readonly configFile?: string;
    /** The BHXH claims gateway (docs/claims-submission.md); absent: claims stay queued, unsent. */
    readonly gateway?: {
      readonly url: string;
      readonly username?: string;
      readonly password?: string;
      readonly passwordFile?: string;
      readonly timeoutMs: number;
      readonly retryDelaySeconds: number;
      readonly retryLimit: number;
      readonly expireSeconds: number;
    };
  };
  /** Store-and-forward consultations (docs/econsult.md). */
  readonly econsult: {
    /** Where unfinished resumable uploads are kept (UPLOAD_DIR, default DATA_DIR/uploads). */
    readonly uploadDir: string;
    /** Minutes to answer a case, per priority, before it escalates (LOCAL POLICY, docs/econsult.md). */
    readonly deadlineMinutes: {
      readonly stat: number;
      readonly asap: number;
      readonly urgent: number;
      readonly routine: number;
    };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigDefaults {
  readonly port: number;
}

/**
 * Validates `env` and returns the typed configuration; throws ConfigError naming every bad
 * variable. Tests pass an explicit record instead of process.env.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  defaults: ConfigDefaults = { port: 3000 },
): AppConfig {
  const known = Object.fromEntries(
    Object.entries(env).filter(([k]) => Object.prototype.hasOwnProperty.call(KNOWN, k)),
  );
  const vars = plainToInstance(EnvironmentVariables, known);
  const errors = validateSync(vars, { whitelist: true });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${m} (got ${JSON.stringify(env[e.property])})` : `${e.property}: ${m}`,
    ),
  );
  if ((vars.ADMIN_USERNAME === undefined) !== (vars.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if ((vars.SMPP_URL === undefined) !== (vars.SMS_SENDER === undefined)) {
    problems.push('SMPP_URL and SMS_SENDER must be set together');
  }
  if ((vars.SMTP_URL === undefined) !== (vars.MAIL_FROM === undefined)) {
    problems.push('SMTP_URL and MAIL_FROM must be set together');
  }
  const zaloSet = [vars.ZALO_APP_ID, vars.ZALO_SECRET_KEY, vars.ZALO_REFRESH_TOKEN, vars.ZALO_TEMPLATES];
  if (zaloSet.some((v) => v !== undefined) && zaloSet.some((v) => v === undefined)) {
    problems.push('ZALO_APP_ID, ZALO_SECRET_KEY, ZALO_REFRESH_TOKEN and ZALO_TEMPLATES must be set together');
  }
  // A delivery that outlives its expiry is started again beside the first: an email still being sent
  // would go twice. Connect, greeting and one silence of 3x must fit well inside it.
  const smtpTimeout = vars.SMTP_TIMEOUT_SECONDS ?? 10;
  const deliveryExpire = vars.NOTIFY_DELIVERY_EXPIRE_SECONDS ?? 60;
  if (vars.SMTP_URL !== undefined && smtpTimeout * 5 >= deliveryExpire) {
    problems.push(
      `SMTP_TIMEOUT_SECONDS (${smtpTimeout}) x 5 must stay under NOTIFY_DELIVERY_EXPIRE_SECONDS (${deliveryExpire}): raise NOTIFY_DELIVERY_EXPIRE_SECONDS or lower SMTP_TIMEOUT_SECONDS`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? defaults.port;
  return {
    nodeEnv: (vars.NODE_ENV as AppConfig['nodeEnv'] | undefined) ?? 'development',
    port,
    host: vars.HOST ?? '0.0.0.0',
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    database: {
      url: vars.DATABASE_URL,
      dataDir: resolve(vars.DATA_DIR ?? './data'),
      poolSize: vars.DB_POOL_SIZE ?? (vars.DATABASE_URL ? 5 : 2),
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    admin:
      vars.ADMIN_USERNAME && vars.ADMIN_PASSWORD
        ? { username: vars.ADMIN_USERNAME, password: vars.ADMIN_PASSWORD }
        : undefined,
    auth: {
      accessTokenTtl: vars.ACCESS_TOKEN_TTL ?? 900,
      refreshTokenTtl: vars.REFRESH_TOKEN_TTL ?? 30 * 86400,
      jwksUrl: vars.AUTH_JWKS_URL,
      maxFailuresPerAccount: vars.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5,
      maxFailuresPerAddress: vars.LOGIN_MAX_FAILURES_PER_ADDRESS ?? 50,
      failureWindowSeconds: vars.LOGIN_FAILURE_WINDOW ?? 900,
      clinicianIdleMinutes: vars.CLINICIAN_IDLE_MINUTES ?? 30,
    },
    breakGlass: { maxPerDay: vars.BREAK_GLASS_MAX_PER_DAY ?? 3 },
    media: {
      workerBin: vars.MEDIASOUP_WORKER_BIN,
      workers: vars.MEDIA_WORKERS ?? cpus().length,
      listenIp: vars.MEDIA_LISTEN_IP ?? '127.0.0.1',
      announcedIp: vars.MEDIA_ANNOUNCED_IP,
    },
    consultation: {
      marginMinutes: vars.CONSULT_MARGIN_MINUTES ?? 15,
      reconnectGraceSeconds: vars.RECONNECT_GRACE_SECONDS ?? 30,
    },
    metricsToken: vars.METRICS_TOKEN,
    bodyLimit: vars.BODY_LIMIT ?? '1mb',
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 10000,
    trustProxy: trustProxyOf(vars.TRUST_PROXY),
    corsOrigins: (vars.CORS_ORIGINS ?? '').split(',').filter(Boolean),
    rateLimit: {
      perAccount: vars.RATE_LIMIT_PER_ACCOUNT ?? 600,
      perAddress: vars.RATE_LIMIT_PER_ADDRESS ?? 1200,
    },
    mfaRequiredRoles: (vars.MFA_REQUIRED_ROLES ?? '').split(',').filter(Boolean),
    scheduling: {
      holdSeconds: vars.HOLD_SECONDS ?? 600,
      horizonDays: vars.SCHEDULE_HORIZON_DAYS ?? 28,
      noShowGraceMinutes: vars.NOSHOW_GRACE_MINUTES ?? 15,
      waitlistOfferMinutes: vars.WAITLIST_OFFER_MINUTES ?? 30,
      webhookUrl: vars.NOTIFY_WEBHOOK_URL,
      webhookSecret: vars.NOTIFY_WEBHOOK_SECRET,
      jobPollSeconds: vars.JOB_POLL_SECONDS ?? 2,
    },
    sms: smsOf(vars),
    notify: {
      deliveryExpireSeconds: vars.NOTIFY_DELIVERY_EXPIRE_SECONDS ?? 60,
      concurrency: vars.NOTIFY_CONCURRENCY ?? 16,
      fallbackSeconds: Math.round((vars.NOTIFY_FALLBACK_MINUTES ?? 30) * 60),
      quietHours: parseQuietHours(vars.NOTIFY_QUIET_HOURS ?? '21:00-07:00'),
    },
    smtp: smtpOf(vars),
    zalo: zaloOf(vars),
    fhir: {
      bundleMaxEntries: vars.FHIR_BUNDLE_MAX_ENTRIES ?? 200,
      countMax: vars.FHIR_COUNT_MAX ?? 1000,
      includeMax: vars.FHIR_INCLUDE_MAX ?? 1000,
      includeMaxDepth: vars.FHIR_INCLUDE_MAX_DEPTH ?? 4,
      requestBudgetMs: vars.FHIR_REQUEST_BUDGET_MS ?? 5000,
    },
    care: {
      news2EscalateMinutes: vars.NEWS2_ESCALATE_MINUTES ?? 15,
      news2OnCallAccessMinutes: vars.NEWS2_ONCALL_ACCESS_MINUTES ?? 1440,
    },
    econsult: econsultOf(vars),
    signing: signingOf(vars),
    eprescription: {
      env: Object.fromEntries(
        Object.entries(vars).filter(
          (e): e is [string, string] => e[0].startsWith('EPRESCRIPTION_') && typeof e[1] === 'string',
        ),
      ),
    },
    claims: {
      ...(vars.CLAIMS_CONFIG ? { config: vars.CLAIMS_CONFIG } : {}),
      ...(vars.CLAIMS_CONFIG_FILE ? { configFile: vars.CLAIMS_CONFIG_FILE } : {}),
      ...(vars.BHXH_GATEWAY_URL
        ? {
            gateway: {
              url: vars.BHXH_GATEWAY_URL,
              ...(vars.BHXH_USERNAME ? { username: vars.BHXH_USERNAME } : {}),
              ...(vars.BHXH_PASSWORD ? { password: vars.BHXH_PASSWORD } : {}),
              ...(vars.BHXH_PASSWORD_FILE ? { passwordFile: vars.BHXH_PASSWORD_FILE } : {}),
              timeoutMs: vars.BHXH_TIMEOUT_MS ?? 30_000,
              retryDelaySeconds: vars.BHXH_RETRY_DELAY_SECONDS ?? 30,
              retryLimit: vars.BHXH_RETRY_LIMIT ?? 12,
              expireSeconds: vars.BHXH_EXPIRE_SECONDS ?? 120,
            },
          }
        : {}),
    },
  };
}

const KNOWN: Record<keyof EnvironmentVariables, true> = {
  NODE_ENV: true,
  PORT: true,
  HOST: true,
  PUBLIC_URL: true,
  DATABASE_URL: true,
  DATA_DIR: true,
  DB_POOL_SIZE: true,
  LOG_LEVEL: true,
  ADMIN_USERNAME: true,
  ADMIN_PASSWORD: true,
  ACCESS_TOKEN_TTL: true,
  REFRESH_TOKEN_TTL: true,
  AUTH_JWKS_URL: true,
  LOGIN_MAX_FAILURES_PER_ACCOUNT: true,
  LOGIN_MAX_FAILURES_PER_ADDRESS: true,
  LOGIN_FAILURE_WINDOW: true,
  CLINICIAN_IDLE_MINUTES: true,
  BREAK_GLASS_MAX_PER_DAY: true,
  MEDIASOUP_WORKER_BIN: true,
  MEDIA_WORKERS: true,
  MEDIA_LISTEN_IP: true,
  MEDIA_ANNOUNCED_IP: true,
  CONSULT_MARGIN_MINUTES: true,
  RECONNECT_GRACE_SECONDS: true,
  METRICS_TOKEN: true,
  BODY_LIMIT: true,
  SHUTDOWN_TIMEOUT_MS: true,
  TRUST_PROXY: true,
  CORS_ORIGINS: true,
  RATE_LIMIT_PER_ACCOUNT: true,
  RATE_LIMIT_PER_ADDRESS: true,
  MFA_REQUIRED_ROLES: true,
  HOLD_SECONDS: true,
  SCHEDULE_HORIZON_DAYS: true,
  NOSHOW_GRACE_MINUTES: true,
  WAITLIST_OFFER_MINUTES: true,
  NOTIFY_WEBHOOK_URL: true,
  NOTIFY_WEBHOOK_SECRET: true,
  JOB_POLL_SECONDS: true,
  SMPP_URL: true,
  SMS_SENDER: true,
  SMS_ENCODING: true,
  SMPP_WINDOW: true,
  SMPP_RECONNECT_MAX_SECONDS: true,
  NOTIFY_DELIVERY_EXPIRE_SECONDS: true,
  NOTIFY_CONCURRENCY: true,
  NOTIFY_FALLBACK_MINUTES: true,
  NOTIFY_QUIET_HOURS: true,
  SMTP_URL: true,
  MAIL_FROM: true,
  SMTP_TIMEOUT_SECONDS: true,
  ZALO_APP_ID: true,
  ZALO_SECRET_KEY: true,
  ZALO_REFRESH_TOKEN: true,
  ZALO_API_URL: true,
  ZALO_OAUTH_URL: true,
  ZALO_TEMPLATES: true,
  FHIR_BUNDLE_MAX_ENTRIES: true,
  FHIR_COUNT_MAX: true,
  FHIR_INCLUDE_MAX: true,
  FHIR_INCLUDE_MAX_DEPTH: true,
  FHIR_REQUEST_BUDGET_MS: true,
  NEWS2_ESCALATE_MINUTES: true,
  NEWS2_ONCALL_ACCESS_MINUTES: true,
  UPLOAD_DIR: true,
  ECONSULT_DEADLINE_MINUTES: true,
  EPRESCRIPTION_URL: true,
  EPRESCRIPTION_SECRET_KEY: true,
  EPRESCRIPTION_CODE_SUFFIX: true,
  EPRESCRIPTION_TIMEOUT_MS: true,
  EPRESCRIPTION_EXPIRE_SECONDS: true,
  EPRESCRIPTION_RETRY_DELAY_SECONDS: true,
  EPRESCRIPTION_RETRY_LIMIT: true,
  EPRESCRIPTION_CONCURRENCY: true,
  CLAIMS_CONFIG: true,
  CLAIMS_CONFIG_FILE: true,
  BHXH_GATEWAY_URL: true,
  BHXH_USERNAME: true,
  BHXH_PASSWORD: true,
  BHXH_PASSWORD_FILE: true,
  BHXH_TIMEOUT_MS: true,
  BHXH_RETRY_DELAY_SECONDS: true,
  BHXH_RETRY_LIMIT: true,
  BHXH_EXPIRE_SECONDS: true,
  SIGNING_MODE: true,
  SIGNING_KEY_ID: true,
  SIGNING_P12_PATH: true,
  SIGNING_P12_PASSPHRASE: true,
  SIGNING_P12_PASSPHRASE_FILE: true,
  SIGNING_REMOTE_URL: true,
  SIGNING_REMOTE_CREDENTIAL_ID: true,
  SIGNING_REMOTE_TOKEN: true,
  SIGNING_REMOTE_TOKEN_FILE: true,
  SIGNING_RETIRED_CERTS: true,
  SIGNING_TRUST_ANCHORS: true,
};

function signingOf(vars: EnvironmentVariables): AppConfig['signing'] {
  // Unset in production: the deployables that sign (record, consultation) refuse to start (SigningService).
  const mode = vars.SIGNING_MODE ?? (vars.NODE_ENV === 'production' ? undefined : 'ephemeral');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars))
    if (k.startsWith('SIGNING_') && typeof v === 'string') env[k] = v;
  return { ...(mode ? { mode } : {}), env };
}

function econsultOf(vars: EnvironmentVariables): AppConfig['econsult'] {
  // LOCAL POLICY: stat 1 h, asap 4 h, urgent 24 h, routine 72 h (docs/econsult.md).
  const [stat, asap, urgent, routine] = (vars.ECONSULT_DEADLINE_MINUTES ?? '60,240,1440,4320')
    .split(',')
    .map(Number) as [number, number, number, number];
  return {
    uploadDir: resolve(vars.UPLOAD_DIR ?? join(vars.DATA_DIR ?? './data', 'uploads')),
    deadlineMinutes: { stat, asap, urgent, routine },
  };
}

function smsOf(vars: EnvironmentVariables): SmsConfig | undefined {
  if (!vars.SMPP_URL || !vars.SMS_SENDER) return undefined;
  const url = new URL(vars.SMPP_URL);
  return {
    host: url.hostname,
    port: Number(url.port),
    systemId: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    sender: vars.SMS_SENDER,
    encoding: vars.SMS_ENCODING ?? 'gsm7',
    window: vars.SMPP_WINDOW ?? 10,
    reconnectMaxSeconds: vars.SMPP_RECONNECT_MAX_SECONDS ?? 60,
  };
}

function smtpOf(vars: EnvironmentVariables): SmtpConfig | undefined {
  if (!vars.SMTP_URL || !vars.MAIL_FROM) return undefined;
  const url = new URL(vars.SMTP_URL);
  const from = /^(.+) <(.+)>$/.exec(vars.MAIL_FROM);
  return {
    secure: url.protocol === 'smtps:',
    host: url.hostname,
    port: Number(url.port),
    ...(url.username
      ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : {}),
    from: from ? { name: from[1]!.trim(), address: from[2]! } : { address: vars.MAIL_FROM },
    timeoutSeconds: vars.SMTP_TIMEOUT_SECONDS ?? 10,
  };
}

function zaloOf(vars: EnvironmentVariables): ZaloConfig | undefined {
  if (!vars.ZALO_APP_ID || !vars.ZALO_SECRET_KEY || !vars.ZALO_REFRESH_TOKEN || !vars.ZALO_TEMPLATES)
    return undefined;
  return {
    appId: vars.ZALO_APP_ID,
    secretKey: vars.ZALO_SECRET_KEY,
    refreshToken: vars.ZALO_REFRESH_TOKEN,
    apiUrl: (vars.ZALO_API_URL ?? 'https://business.openapi.zalo.me').replace(/\/+$/, ''),
    oauthUrl: (vars.ZALO_OAUTH_URL ?? 'https://oauth.zaloapp.com').replace(/\/+$/, ''),
    templates: Object.fromEntries(
      vars.ZALO_TEMPLATES.split(',').map((p) => p.split('=') as [string, string]),
    ),
  };
}

/**
 * TRUST_PROXY as Express takes it. `true` (older configurations) means the one proxy in front (nginx):
 * trusting every hop would let a client choose its own address by sending X-Forwarded-For.
 */
function trustProxyOf(value: string | undefined): false | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return 1;
  return /^\d+$/.test(value) ? Number(value) : value.replace(/\s+/g, '');
}

/** `HH:MM-HH:MM` as minutes of the day (from, until); `off`: undefined. */
export function parseQuietHours(value: string): { from: number; until: number } | undefined {
  if (value === 'off') return undefined;
  const [from, until] = value.split('-').map((hm) => {
    const [h, m] = hm.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  });
  return { from: from ?? 0, until: until ?? 0 };
}
