import { PlatformModule } from '../../apps/platform/src/platform.module';
import { startApp, type TestApp } from '../support/test-app';

/**
 * Issue 16 §4: limits key on a client address taken only from trusted proxy hops. With
 * TRUST_PROXY=true Express trusted every hop, so the left of X-Forwarded-For — which the client
 * writes — was the address: a new value per request escaped the per-address limit.
 */
describe('issue 16 §4: the per-address limit holds against a forged X-Forwarded-For', () => {
  let t: TestApp;
  beforeAll(async () => {
    // As configured behind nginx before; now it means "the one proxy in front".
    t = await startApp(PlatformModule.register, { TRUST_PROXY: 'true', RATE_LIMIT_PER_ADDRESS: '5' });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const ask = (forwardedFor: string): Promise<number> =>
    fetch(`${t.url}/fhir/metadata`, { headers: { 'X-Forwarded-For': forwardedFor } }).then((r) => r.status);

  it('a client forging the left of X-Forwarded-For is limited by the address the proxy saw', async () => {
    const statuses: number[] = [];
    // the proxy (this test) appends the real client address 203.0.113.7; the client forged the rest
    for (let i = 0; i < 8; i++) statuses.push(await ask(`198.51.100.${i}, 203.0.113.7`));
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // another client behind the same proxy is not limited by the first one's requests
    expect(await ask('203.0.113.99')).toBe(200);
  });
});
