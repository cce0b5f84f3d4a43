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
});
