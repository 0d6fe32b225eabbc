import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../support/secrets';
import { waitForRows } from './audit-helpers';
import { ConsoleBrowser } from './console-helpers';

const signIn = (browser: ConsoleBrowser, token: string, ip: string) =>
  browser.post('/admin/sign-in', { token, next: '/admin/connections' }, { headers: { 'cf-connecting-ip': ip } });

describe('console sign-in is throttled per client address', () => {
  it('answers 429 with Retry-After after 10 failures a minute, even to the right token, and records each failure', async () => {
    const ip = '203.0.113.77';
    const browser = new ConsoleBrowser();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await signIn(browser, `wrong-token-${attempt}`, ip);
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const throttled = await signIn(browser, 'wrong-token-11', ip);
    expect(throttled.status).toBe(429);
    const wait = Number(throttled.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(61);
    expect(await throttled.text()).toContain('Too many failed sign-ins');

    // While throttled the token is not even tried: the right one is refused too, and no session is set.
    const right = await signIn(browser, TEST_SECRETS.ADMIN_TOKEN, ip);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();

    // Another address is not affected.
    const other = await signIn(new ConsoleBrowser(), TEST_SECRETS.ADMIN_TOKEN, '203.0.113.78');
    expect(other.status).toBe(303);

    const rows = await waitForRows(
      (found) => found.length >= 12,
      "kind = 'admin' AND method = 'console.sign_in' AND outcome = 'denied' AND client_ip = ?",
      ip,
    );
    expect(rows.filter((row) => row.denial_code === 'wrong_admin_token')).toHaveLength(10);
    expect(rows.filter((row) => row.denial_code === 'sign_in_throttled')).toHaveLength(2);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain('wrong-token');
  }, 40_000);
});
