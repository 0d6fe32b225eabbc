import { describe, expect, it } from 'vitest';
import { adminRequest, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { TEST_SECRETS } from '../support/secrets';
import { auditEvent, seedEvents } from './audit-helpers';
import { ConsoleBrowser, consolePage, fieldErrors, READ_ONLY_FORM, signedIn, submitForm, visibleText } from './console-helpers';

useStandinOdoo();

async function apiConnectionNames(): Promise<string[]> {
  const body = (await (await adminRequest('/admin/api/connections?limit=200')).json()) as { items: { name: string }[] };
  return body.items.map((item) => item.name);
}

describe('the wizard shows every error at once, in words, next to its field', () => {
  it('reports body and scope errors together on the first submit, naming the bad values, and creates nothing', async () => {
    const browser = await signedIn();
    const refused = await submitForm(browser, '/admin/connections/new', {
      ...READ_ONLY_FORM,
      name: '',
      preset: 'custom',
      operations: ['read'],
      ip_allow: '10.0.0.0/8\n192.168.1.300/24',
      'window.0.days': ['mon'],
      'window.0.start': '09:00',
      'window.0.end': '17:00',
      'window.0.tz': 'Mars/Olympus',
      rate_requests: '0',
      rate_per_seconds: '60',
      expiry_mode: 'days',
      valid_for_days: '-1',
    });
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.html, 'f-name')).toBe('Name must not be empty.');
    expect(fieldErrors(refused.html, 'f-valid_for_days')).toBe('Number of days must be more than 0, got -1');
    expect(fieldErrors(refused.html, 'f-ip_allow')).toBe('192.168.1.300/24 is not an IP range');
    expect(fieldErrors(refused.html, 'f-window-0-tz')).toBe('Mars/Olympus is not a time zone; use an IANA name such as Europe/Brussels');
    expect(fieldErrors(refused.html, 'f-rate_limit')).toBe('The number of requests must be at least 1, got 0');
    for (const field of ['f-name', 'f-valid_for_days', 'f-ip_allow', 'f-window-0-tz']) expect(refused.html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    // The summary above the form lists each problem once, linked to its field, without validator paths.
    expect(refused.text).toContain('Nothing was created: 5 fields need a change.');
    expect(refused.html).toContain('<a href="#f-ip_allow">192.168.1.300/24 is not an IP range</a>');
    expect(refused.html).not.toMatch(/Too small|scope\.ip_allow|valid_for_days:/);
    expect(await apiConnectionNames()).not.toContain('');
  });

  it('reports a validity that ended together with the scope’s problems', async () => {
    const browser = await signedIn();
    const refused = await submitForm(browser, '/admin/connections/new', {
      ...READ_ONLY_FORM,
      name: 'Ended before it began',
      ip_allow: '10.1.2.3/8',
      expiry_mode: 'date',
      expires_at: '2020-01-01T00:00',
    });
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.html, 'f-expires_at')).toMatch(/^Valid until ends the validity before it starts, got 2020-01-01T00:00/);
    expect(fieldErrors(refused.html, 'f-ip_allow')).toBe('10.1.2.3/8 is not an IP range: host bits are set (did you mean 10.0.0.0/8?)');
    expect(await apiConnectionNames()).not.toContain('Ended before it began');
  });

  it('keeps the admin API’s error shape as it was: body first, with its validator path and message', async () => {
    const response = await adminRequest('/admin/api/connections', {
      method: 'POST',
      json: { name: '', scope: { preset: 'read_only', ip_allow: ['192.168.1.300/24'] }, valid_for_days: -1 },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'The request body is invalid.',
        details: {
          issues: [
            { path: 'name', message: 'must not be empty' },
            { path: 'valid_for_days', message: 'Too small: expected number to be >0' },
          ],
        },
        request_id: response.headers.get('x-request-id'),
      },
    });
  });
});

describe('an action refused on the connection page says why in words', () => {
  it('names the number of days a reactivation was given', async () => {
    const browser = await signedIn();
    const created = await createConnection({ name: 'Reactivate in words', scope: { preset: 'read_only' } });
    await adminRequest(`/admin/api/connections/${created.connection.id}/revoke`, { method: 'POST', json: {} });
    const refused = await submitForm(browser, `/admin/connections/${created.connection.id}/reactivate`, { validity: 'days', valid_for_days: '-1' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Number of days must be more than 0, got -1');
    expect(refused.text).not.toContain('Too small');
  });
});

describe('the audit filter takes a connection by name', () => {
  it('finds the connection by its name, offers the names while typing, and links pages and CSV by id', async () => {
    const browser = await signedIn();
    const wanted = await createConnection({ name: 'Audit by name: invoicing bot', scope: { preset: 'read_only' } });
    const other = await createConnection({ name: 'Audit by name: stock bot', scope: { preset: 'read_only' } });
    const at = Date.parse('2026-04-01T10:00:00Z');
    await seedEvents([
      auditEvent({ connectionId: wanted.connection.id, connectionName: 'Audit by name: invoicing bot', at, tool: 'read_records' }),
      auditEvent({ connectionId: other.connection.id, connectionName: 'Audit by name: stock bot', at, tool: 'count_records' }),
    ]);

    // kind=mcp: the admin events of the two creates reach the table through the Queue, at moments of their own.
    const byName = await consolePage(browser, `/admin/audit?kind=mcp&connection=${encodeURIComponent('audit by name: INVOICING bot')}`);
    expect(byName.status).toBe(200);
    expect(byName.html.match(/data-event-id=/g)).toHaveLength(1);
    expect(byName.text).toContain('read_records');
    expect(byName.text).not.toContain('count_records');
    expect(byName.html).toContain(`href="/admin/audit/export.csv?connection_id=${wanted.connection.id}&amp;kind=mcp"`);
    expect(byName.html).toMatch(/<input id="audit-connection" name="connection" value="Audit by name: invoicing bot"[^>]*list="audit-connection-names"/);
    expect(byName.html).toMatch(/<datalist id="audit-connection-names">[\s\S]*<option value="Audit by name: stock bot">/);

    const byId = await consolePage(browser, `/admin/audit?connection=${other.connection.id}`);
    expect(byId.text).toContain('count_records');
    expect(byId.text).not.toContain('read_records');

    const csv = await browser.get(`/admin/audit/export.csv?kind=mcp&connection=${encodeURIComponent('Audit by name: stock bot')}`);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('count_records');
  });

  it('takes the one connection whose name contains what was typed, and says so', async () => {
    const browser = await signedIn();
    const only = await createConnection({ name: 'Partial match: quarterly report', scope: { preset: 'read_only' } });
    await seedEvents([auditEvent({ connectionId: only.connection.id, connectionName: 'Partial match: quarterly report', tool: 'aggregate_records' })]);
    const partial = await consolePage(browser, '/admin/audit?kind=mcp&connection=quarterly');
    expect(partial.text).toContain('Showing the events of “Partial match: quarterly report”, the one connection whose name contains “quarterly”.');
    expect(partial.html.match(/data-event-id=/g)).toHaveLength(1);
  });

  it('asks which one when a name fits several connections, and lists nothing meanwhile', async () => {
    const browser = await signedIn();
    const first = await createConnection({ name: 'Twin name', scope: { preset: 'read_only' } });
    const second = await createConnection({ name: 'Twin name', scope: { preset: 'full' } });
    await seedEvents([auditEvent({ connectionId: first.connection.id, connectionName: 'Twin name' }), auditEvent({ connectionId: second.connection.id, connectionName: 'Twin name' })]);
    const ambiguous = await consolePage(browser, '/admin/audit?connection=Twin%20name&outcome=allowed');
    expect(ambiguous.status).toBe(200);
    expect(ambiguous.text).toContain('2 connections are named “Twin name”: pick one.');
    expect(ambiguous.html).not.toContain('data-event-id=');
    for (const created of [first, second]) expect(ambiguous.html).toContain(`href="/admin/audit?connection_id=${created.connection.id}&amp;outcome=allowed"`);
    expect(fieldErrors(ambiguous.html, 'audit-connection')).toBe('“Twin name” fits more than one connection: pick one below.');

    const picked = await consolePage(browser, `/admin/audit?connection_id=${second.connection.id}&outcome=allowed&kind=mcp`);
    expect(picked.html.match(/data-event-id=/g)).toHaveLength(1);
  });

  it('says clearly when no connection has that name, instead of listing nothing silently', async () => {
    const browser = await signedIn();
    const none = await consolePage(browser, '/admin/audit?connection=nobody-is-called-this');
    expect(none.status).toBe(200);
    expect(fieldErrors(none.html, 'audit-connection')).toBe('No connection is named “nobody-is-called-this”, and no name contains it.');
    expect(none.html).toMatch(/id="audit-connection"[^>]*aria-invalid="true"/);
    expect(none.text).toContain('Nothing is listed: no connection fits the connection filter.');
    expect(none.text).not.toContain('No audit events match these filters.');
    expect(none.html).not.toContain('Download CSV');
  });

  it('names the field of an invalid time range, and offers to clear the filters', async () => {
    const browser = await signedIn();
    const bad = await consolePage(browser, '/admin/audit?from=2026-03-02T12:00&to=2026-03-02T10:00&outcome=denied');
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.html, 'audit-to')).toBe('To (UTC) must be later than From (UTC), got 2026-03-02 12:00 to 2026-03-02 10:00');
    expect(bad.html).toMatch(/id="audit-to"[^>]*aria-invalid="true"/);
    expect(bad.html).toContain('<a href="/admin/audit">Clear filters</a>');

    const unfiltered = await consolePage(browser, '/admin/audit');
    expect(unfiltered.html).not.toContain('Clear filters');
  });
});

describe('small things', () => {
  it('names the MCP server in each snippet after the connection', async () => {
    const browser = await signedIn();
    const done = await submitForm(browser, '/admin/connections/new', { ...READ_ONLY_FORM, name: 'Sales assistant (Cursor)' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('"sales-assistant-cursor": {');
    expect(done.text).toMatch(/claude mcp add --transport http sales-assistant-cursor '/);
    expect(done.text).toContain('[mcp_servers.sales-assistant-cursor]');
    expect(done.text).not.toContain('"odoo": {');
  });

  it('keeps ?next= through a wrong sign-in, and goes there after the right one', async () => {
    const browser = new ConsoleBrowser();
    const next = '/admin/audit?outcome=denied&kind=mcp';
    const form = await consolePage(browser, `/admin/sign-in?next=${encodeURIComponent(next)}`);
    expect(form.html).toContain(`name="next" value="${next.replaceAll('&', '&amp;')}"`);

    const wrong = await browser.post('/admin/sign-in', { token: 'not-the-admin-token', next }, { headers: { 'cf-connecting-ip': '198.51.100.41' } });
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('That is not the admin token.');
    const kept = /name="next" value="([^"]+)"/.exec(again)![1]!.replaceAll('&amp;', '&');
    expect(kept).toBe(next);

    const right = await browser.post('/admin/sign-in', { token: TEST_SECRETS.ADMIN_TOKEN, next: kept }, { headers: { 'cf-connecting-ip': '198.51.100.41' } });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(next);
  });

  it('serves a favicon from the console’s own origin, linked from every page', async () => {
    const browser = new ConsoleBrowser();
    const icon = await browser.get('/admin/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const signIn = await consolePage(browser, '/admin/sign-in');
    expect(signIn.html).toContain('<link rel="icon" href="/admin/favicon.svg" type="image/svg+xml"/>');
    // The strict CSP allows it: images from the console's origin only.
    expect(signIn.headers.get('content-security-policy')).toContain("img-src 'self'");
  });

  it('labels each cell of the list tables, so a phone can show them as labelled lines', async () => {
    const browser = await signedIn();
    await createConnection({ name: 'Labelled cells', scope: { preset: 'read_only' } });
    const list = await consolePage(browser, '/admin/connections?q=Labelled');
    expect(list.html).toContain('<table class="list stack" id="connections">');
    for (const label of ['Status', 'Last used', 'Expires']) expect(list.html).toContain(`<td data-label="${label}">`);
    expect(visibleText(list.html)).toContain('Labelled cells');
  });
});
