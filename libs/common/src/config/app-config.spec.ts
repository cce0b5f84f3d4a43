import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({}, { port: 3002 });
    expect(c.port).toBe(3002);
    expect(c.publicUrl).toBe('http://localhost:3002');
    expect(c.database.url).toBeUndefined();
    expect(c.database.dataDir).toMatch(/\/data$/);
    expect(c.auth.accessTokenTtl).toBe(900);
  });

  it('names every bad variable, with the value it got', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', MEDIA_WORKERS: '-1', ADMIN_USERNAME: 'admin' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT.*70000/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/MEDIA_WORKERS/);
    expect(problems).toMatch(/ADMIN_USERNAME and ADMIN_PASSWORD must be set together/);
  });

  it('ignores variables it does not know and treats empty values as unset', () => {
    const c = loadConfig({ PATH: '/usr/bin', DATABASE_URL: '', PUBLIC_URL: 'https://mekong.example.vn/' });
    expect(c.database.url).toBeUndefined();
    expect(c.publicUrl).toBe('https://mekong.example.vn');
  });

  it('bounds what one FHIR request may cost, with defaults and validated overrides', () => {
    expect(loadConfig({}).fhir).toEqual({
      bundleMaxEntries: 200,
      countMax: 1000,
      includeMax: 1000,
      includeMaxDepth: 4,
      requestBudgetMs: 5000,
    });
    expect(loadConfig({ FHIR_BUNDLE_MAX_ENTRIES: '50', FHIR_REQUEST_BUDGET_MS: '2000' }).fhir).toMatchObject({
      bundleMaxEntries: 50,
      requestBudgetMs: 2000,
    });
    // A _count cap above the engine's hard page size (1000) would be a promise it cannot keep.
    expect(() => loadConfig({ FHIR_COUNT_MAX: '5000' })).toThrow(/FHIR_COUNT_MAX/);
    expect(() => loadConfig({ FHIR_REQUEST_BUDGET_MS: '0' })).toThrow(/FHIR_REQUEST_BUDGET_MS/);
  });

  it('limits break-glass openings per practitioner per day (BREAK_GLASS_MAX_PER_DAY)', () => {
    expect(loadConfig({}).breakGlass.maxPerDay).toBe(3);
    expect(loadConfig({ BREAK_GLASS_MAX_PER_DAY: '5' }).breakGlass.maxPerDay).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'many', '101'])
      expect(() => loadConfig({ BREAK_GLASS_MAX_PER_DAY: bad })).toThrow(/BREAK_GLASS_MAX_PER_DAY/);
  });

  it('takes the client address only from trusted proxy hops (TRUST_PROXY), never from every hop', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1); // the one proxy in front
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback,10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
  });

  it('turns SMS on with SMPP_URL and SMS_SENDER together, off when both are unset', () => {
    expect(loadConfig({}).sms).toBeUndefined();
    expect(
      loadConfig({ SMPP_URL: 'smpp://mekong:p%40ss@smsc.example.vn:2775', SMS_SENDER: 'MekongHlth' }).sms,
    ).toEqual({
      host: 'smsc.example.vn',
      port: 2775,
      systemId: 'mekong',
      password: 'p@ss',
      sender: 'MekongHlth',
      encoding: 'gsm7',
      window: 10,
      reconnectMaxSeconds: 60,
    });
    expect(() => loadConfig({ SMPP_URL: 'smpp://a:b@h:2775' })).toThrow(
      /SMPP_URL and SMS_SENDER must be set together/,
    );
    expect(() => loadConfig({ SMPP_URL: 'http://h:2775', SMS_SENDER: 'X' })).toThrow(
      /SMPP_URL must look like/,
    );
    expect(() => loadConfig({ SMPP_URL: 'smpp://a:b@h:2775', SMS_SENDER: 'A-far-too-long-name' })).toThrow(
      /SMS_SENDER/,
    );
  });
  it('turns Zalo on with its four settings together, Zalo’s endpoints by default, off when all are unset', () => {
    const zalo = {
      ZALO_APP_ID: '1234567890',
      ZALO_SECRET_KEY: 'app-secret-key',
      ZALO_REFRESH_TOKEN: 'first-refresh-token',
      ZALO_TEMPLATES: 'appointment-reminder=301001,appointment-cancelled=301002',
    };
    expect(loadConfig({}).zalo).toBeUndefined();
    expect(loadConfig(zalo).zalo).toEqual({
      appId: '1234567890',
      secretKey: 'app-secret-key',
      refreshToken: 'first-refresh-token',
      apiUrl: 'https://business.openapi.zalo.me',
      oauthUrl: 'https://oauth.zaloapp.com',
      templates: { 'appointment-reminder': '301001', 'appointment-cancelled': '301002' },
    });
    expect(loadConfig({ ...zalo, ZALO_API_URL: 'http://127.0.0.1:9/' }).zalo?.apiUrl).toBe(
      'http://127.0.0.1:9',
    );
    expect(() => loadConfig({ ZALO_APP_ID: '1234567890' })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...zalo, ZALO_TEMPLATES: 'appointment-reminder:301001' })).toThrow(
      /ZALO_TEMPLATES must look like/,
    );
    expect(() => loadConfig({ ...zalo, ZALO_APP_ID: 'abc' })).toThrow(/ZALO_APP_ID must be digits/);
  });
  it('turns email on with SMTP_URL and MAIL_FROM together, off when both are unset', () => {
    expect(loadConfig({}).smtp).toBeUndefined();
    expect(
      loadConfig({
        SMTP_URL: 'smtps://thong-bao%40mekong.vn:p%40ss@smtp.example.vn:465',
        MAIL_FROM: 'Mekong Health <thong-bao@mekong.vn>',
      }).smtp,
    ).toEqual({
      secure: true,
      host: 'smtp.example.vn',
      port: 465,
      user: 'thong-bao@mekong.vn',
      password: 'p@ss',
      from: { name: 'Mekong Health', address: 'thong-bao@mekong.vn' },
      timeoutSeconds: 10,
    });
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'no-reply@mekong.vn' }).smtp).toEqual({
      secure: false,
      host: '127.0.0.1',
      port: 2525,
      from: { address: 'no-reply@mekong.vn' },
      timeoutSeconds: 10,
    });
    expect(() => loadConfig({ SMTP_URL: 'smtp://h:25' })).toThrow(
      /SMTP_URL and MAIL_FROM must be set together/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://h:25', MAIL_FROM: 'a@b.vn' })).toThrow(
      /SMTP_URL must look like/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://h', MAIL_FROM: 'a@b.vn' })).toThrow(
      /SMTP_URL must look like/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://h:25', MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
    expect(
      loadConfig({ SMTP_URL: 'smtp://h:25', MAIL_FROM: 'a@b.vn', SMTP_TIMEOUT_SECONDS: '0.5' }).smtp
        ?.timeoutSeconds,
    ).toBe(0.5);
    // A send must end well before its delivery job counts as lost and is started again beside it.
    expect(() =>
      loadConfig({ SMTP_URL: 'smtp://h:25', MAIL_FROM: 'a@b.vn', SMTP_TIMEOUT_SECONDS: '12' }),
    ).toThrow(/SMTP_TIMEOUT_SECONDS \(12\) x 5 must stay under NOTIFY_DELIVERY_EXPIRE_SECONDS \(60\)/);
    expect(
      loadConfig({
        SMTP_URL: 'smtp://h:25',
        MAIL_FROM: 'a@b.vn',
        SMTP_TIMEOUT_SECONDS: '30',
        NOTIFY_DELIVERY_EXPIRE_SECONDS: '300',
      }).smtp?.timeoutSeconds,
    ).toBe(30);
  });
});
