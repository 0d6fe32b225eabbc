import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { getConnection } from '../support/connections-api';
import { adminRequest, connectClient, createConnection } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { waitForRows } from './audit-helpers';
import { consolePage, fieldErrors, signedIn, submitForm, visibleText, type ConsoleBrowser } from './console-helpers';
import { setClock } from './scopes-helpers';

useStandinOdoo();

afterEach(() => {
  vi.useRealTimers();
});

const DAY = 86_400_000;

/** The hidden and visible fields of the edit form as the page rendered them, the way a browser would send them untouched. */
function formFields(html: string): Record<string, string | string[]> {
  const form = /<form method="post" action="[^"]*\/edit"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const fields: Record<string, string[]> = {};
  const add = (name: string, value: string) => (fields[name] ??= []).push(decode(value));
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name || name === '_csrf' || /__INDEX__/.test(name)) continue;
    const type = /type="([^"]+)"/.exec(tag)?.[1] ?? 'text';
    if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(tag)) continue;
    add(name, /value="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const [, attributes, text] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = /name="([^"]+)"/.exec(attributes!)?.[1];
    if (name) add(name, text!);
  }
  return Object.fromEntries(Object.entries(fields).map(([name, values]) => [name, values.length === 1 ? values[0]! : values]));
}

function decode(text: string): string {
  return text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

async function editForm(browser: ConsoleBrowser, id: string): Promise<Record<string, string | string[]>> {
  const page = await consolePage(browser, `/admin/connections/${id}/edit`);
  expect(page.status).toBe(200);
  const { intent: _intent, ...fields } = formFields(page.html);
  return fields;
}

/** Review, check the confirmation, then save from the confirmation's own hidden fields. */
async function reviewAndSave(browser: ConsoleBrowser, id: string, fields: Record<string, string | string[]>) {
  const path = `/admin/connections/${id}/edit`;
  const review = await submitForm(browser, path, { ...fields, intent: 'review' });
  expect(review.status).toBe(200);
  const hidden = formFields(review.html);
  const { intent: _intent, ...carried } = hidden;
  const saved = await submitForm(browser, path, { ...carried, intent: 'apply' });
  return { review, saved };
}

function changeRow(html: string, field: string): string {
  return visibleText(new RegExp(`<tr data-change="${field}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '').trim();
}

describe('editing a connection in the console', () => {
  it('prefills the form with the connection as it is, scope included', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({
      name: 'Prefilled',
      scope: { preset: 'custom', operations: ['read', 'write'], models: { 'crm.lead': { write_fields: ['name'] } }, ip_allow: ['10.0.0.0/8'] },
    });
    const view = await consolePage(browser, `/admin/connections/${connection.id}`);
    expect(view.html).toContain(`href="/admin/connections/${connection.id}/edit"`);
    const fields = await editForm(browser, connection.id);
    expect(fields).toMatchObject({
      name: 'Prefilled',
      scope_mode: 'form',
      preset: 'custom',
      operations: ['read', 'write'],
      'model.0.pattern': 'crm.lead',
      'model.0.write_fields': 'name',
      ip_allow: '10.0.0.0/8',
      version: connection.updated_at,
      expiry_mode: 'never',
    });
    expect(JSON.parse(fields.scope_json as string)).toEqual(connection.scope);
  });

  it('renames after a confirmation that shows old → new, audits it as connection.update and says so', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Old name', scope: { preset: 'read_only' } });
    const fields = await editForm(browser, connection.id);
    const { review, saved } = await reviewAndSave(browser, connection.id, { ...fields, name: 'New name' });
    expect(review.text).toContain('Save these changes to Old name?');
    expect(changeRow(review.html, 'name')).toBe('Name Old name New name');
    expect(review.html).not.toContain('data-change="scope"');
    expect((await getConnection(connection.id)).name).toBe('New name');

    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/admin/connections/${connection.id}?done=updated`);
    const after = await consolePage(browser, saved.location!);
    expect(after.text).toContain('Connection saved: the change holds from its next MCP request.');

    const [row] = await waitForRows((rows) => rows.length === 1, "kind = 'admin' AND method = 'connection.update' AND connection_id = ?", connection.id);
    expect(row).toMatchObject({ connection_name: 'New name', outcome: 'allowed' });
    expect(JSON.parse(row!.detail!)).toMatchObject({ actor: { kind: 'bootstrap', id: 'admin-token' }, changed: ['name'] });
  }, 30_000);

  it('changes the scope in words on the confirmation, and the next MCP call of an open session is refused', async () => {
    const browser = await signedIn();
    const { key, connection } = await createConnection({ name: 'Narrowed', scope: { preset: 'full' } });
    const client = await connectClient(key);
    const created = (await client.callTool({ name: 'create_records', arguments: { model: 'crm.lead', values: [{ name: 'before' }] } })) as CallToolResult;
    expect(created.isError).toBeFalsy();

    const fields = await editForm(browser, connection.id);
    const { review, saved } = await reviewAndSave(browser, connection.id, { ...fields, preset: 'read_only' });
    const scopeChange = changeRow(review.html, 'scope');
    expect(scopeChange).toContain('Every operation the Odoo user may do.');
    expect(scopeChange).toContain('Read only: search, read, describe and aggregate.');
    expect(review.html).toContain('<del>Every operation the Odoo user may do.</del>');
    expect(review.html).toContain('<ins>Read only: search, read, describe and aggregate.</ins>');
    expect(saved.status).toBe(303);

    const refused = (await client.callTool({ name: 'create_records', arguments: { model: 'crm.lead', values: [{ name: 'after' }] } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect((await getConnection(connection.id)).scope).toEqual({ preset: 'read_only' });
    const [row] = await waitForRows((rows) => rows.length === 1, "kind = 'admin' AND method = 'connection.update' AND connection_id = ?", connection.id);
    expect(JSON.parse(row!.detail!)).toMatchObject({ changed: ['scope'], scope_summary: 'Read only' });
    await client.close();
  }, 30_000);

  it('carries the scope from the form into raw JSON and back, and saves a scope written as JSON', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Both ways', scope: { preset: 'read_only' } });
    const path = `/admin/connections/${connection.id}/edit`;
    const fields = await editForm(browser, connection.id);

    const asJson = await submitForm(browser, path, { ...fields, ip_allow: '198.51.100.7', intent: 'to_json' });
    const jsonFields = formFields(asJson.html);
    expect(jsonFields.scope_mode).toBe('json');
    expect(JSON.parse(jsonFields.scope_json as string)).toEqual({ preset: 'read_only', ip_allow: ['198.51.100.7'] });

    const edited = JSON.stringify({ preset: 'custom', operations: ['read'], models: { 'res.partner': { read_fields: ['name'] } } });
    const backToForm = await submitForm(browser, path, { ...jsonFields, scope_mode: 'form', scope_json: edited, intent: 'to_form' });
    const formAgain = formFields(backToForm.html);
    expect(formAgain).toMatchObject({ scope_mode: 'form', preset: 'custom', operations: 'read', 'model.0.pattern': 'res.partner', 'model.0.read_fields': 'name' });

    // What the form cannot say exactly stays JSON, with why.
    const exact = JSON.stringify({ preset: 'read_only', models: { 'res.partner': { read_fields: [] } } });
    const kept = await submitForm(browser, path, { ...jsonFields, scope_mode: 'form', scope_json: exact, intent: 'to_form' });
    expect(formFields(kept.html).scope_mode).toBe('json');
    expect(fieldErrors(kept.html, 'f-scope_json')).toContain('holds settings the form cannot show exactly');

    const { saved } = await reviewAndSave(browser, connection.id, { ...jsonFields, scope_json: exact });
    expect(saved.status).toBe(303);
    expect((await getConnection(connection.id)).scope).toEqual({ preset: 'read_only', models: { 'res.partner': { read_fields: [] } } });
    // Opened again, that scope is edited as JSON: the form would widen read_fields: [] to every field.
    expect((await editForm(browser, connection.id)).scope_mode).toBe('json');
  });

  it('changes the validity: a number of days from now, a date, and no expiry; a start in the future refuses the next call', async () => {
    const browser = await signedIn();
    const { key, connection } = await createConnection({ name: 'Validity', scope: { preset: 'read_only' } });
    const before = Date.now();
    const { review } = await reviewAndSave(browser, connection.id, { ...(await editForm(browser, connection.id)), expiry_mode: 'days', valid_for_days: '3' });
    expect(changeRow(review.html, 'expires_at')).toMatch(/^Expires Never in 3 days .* 3 days from when you save$/);
    const expiresAt = Date.parse((await getConnection(connection.id)).expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3 * DAY);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3 * DAY);

    const date = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 16);
    await reviewAndSave(browser, connection.id, { ...(await editForm(browser, connection.id)), expiry_mode: 'date', expires_at: date, not_before: '' });
    expect((await getConnection(connection.id)).expires_at).toBe(`${date}:00.000Z`);

    const { review: never } = await reviewAndSave(browser, connection.id, { ...(await editForm(browser, connection.id)), expiry_mode: 'never' });
    expect(changeRow(never.html, 'expires_at')).toMatch(/^Expires in 10 days .* Never$/);
    expect((await getConnection(connection.id)).expires_at).toBeNull();

    const client = await connectClient(key);
    const later = new Date(Date.now() + DAY).toISOString().slice(0, 16);
    await reviewAndSave(browser, connection.id, { ...(await editForm(browser, connection.id)), not_before: later });
    expect((await getConnection(connection.id)).not_before).toBe(`${later}:00.000Z`);
    const refused = (await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult;
    expect((refused.structuredContent as { error: { code: string } }).error.code).toBe('not_yet_valid');
    await client.close();
  });

  it('says nothing is to save when the form says what the connection says', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Unchanged', scope: { preset: 'custom', operations: ['read', 'query'] } });
    const page = await submitForm(browser, `/admin/connections/${connection.id}/edit`, { ...(await editForm(browser, connection.id)), intent: 'review' });
    expect(page.text).toContain('there is nothing to save');
    expect(page.status).toBe(200);
    expect((await getConnection(connection.id)).updated_at).toBe(connection.updated_at);
  });

  it('shows every bad input at once, in words, next to its field, and saves nothing', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Careful', scope: { preset: 'read_only' } });
    const refused = await submitForm(browser, `/admin/connections/${connection.id}/edit`, {
      ...(await editForm(browser, connection.id)),
      name: ' ',
      ip_allow: '192.168.1.300/24',
      'window.0.days': ['mon'],
      'window.0.start': '09:00',
      'window.0.end': '17:00',
      'window.0.tz': 'Mars/Olympus',
      expiry_mode: 'days',
      valid_for_days: '-1',
      intent: 'review',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Nothing was saved: 4 fields need a change.');
    expect(fieldErrors(refused.html, 'f-name')).toBe('Name must not be empty.');
    expect(fieldErrors(refused.html, 'f-ip_allow')).toBe('192.168.1.300/24 is not an IP range');
    expect(fieldErrors(refused.html, 'f-window-0-tz')).toBe('Mars/Olympus is not a time zone; use an IANA name such as Europe/Brussels');
    expect(fieldErrors(refused.html, 'f-valid_for_days')).toBe('Number of days must be more than 0, got -1');
    expect(refused.html).not.toMatch(/Too small|scope\.ip_allow/);
    expect(await getConnection(connection.id)).toMatchObject({ name: 'Careful', scope: { preset: 'read_only' }, updated_at: connection.updated_at });
  });

  it('refuses a stale form instead of overwriting a change made meanwhile, on review and on save', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Shared', scope: { preset: 'read_only' } });
    const fields = await editForm(browser, connection.id);
    const review = await submitForm(browser, `/admin/connections/${connection.id}/edit`, { ...fields, name: 'Mine', intent: 'review' });
    const { intent: _intent, ...carried } = formFields(review.html);

    // Someone else changes the connection while the confirmation is open.
    const other = await adminRequest(`/admin/api/connections/${connection.id}`, { method: 'PATCH', json: { name: 'Theirs' } });
    expect(other.status).toBe(200);

    const stale = await submitForm(browser, `/admin/connections/${connection.id}/edit`, { ...carried, intent: 'apply' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('after this form was opened, so nothing was saved');
    expect(formFields(stale.html)).toMatchObject({ name: 'Theirs', version: (await getConnection(connection.id)).updated_at });
    expect((await getConnection(connection.id)).name).toBe('Theirs');

    const staleReview = await submitForm(browser, `/admin/connections/${connection.id}/edit`, { ...fields, name: 'Mine', intent: 'review' });
    expect(staleReview.status).toBe(409);
  });

  it('the API refuses a PATCH whose If-Match names an older version', async () => {
    const { connection } = await createConnection({ name: 'Versioned', scope: { preset: 'read_only' } });
    const read = await adminRequest(`/admin/api/connections/${connection.id}`);
    const etag = read.headers.get('etag');
    expect(etag).toBe(`"${connection.updated_at}"`);
    const first = await adminRequest(`/admin/api/connections/${connection.id}`, { method: 'PATCH', json: { name: 'one' }, headers: { 'if-match': etag! } });
    expect(first.status).toBe(200);
    const second = await adminRequest(`/admin/api/connections/${connection.id}`, { method: 'PATCH', json: { name: 'two' }, headers: { 'if-match': etag! } });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await getConnection(connection.id)).name).toBe('one');
  });

  it('refuses an edit without the session’s CSRF token or from another origin', async () => {
    const browser = await signedIn();
    const { connection } = await createConnection({ name: 'Guarded', scope: { preset: 'read_only' } });
    const fields = await editForm(browser, connection.id);
    const path = `/admin/connections/${connection.id}/edit`;
    const noToken = await browser.post(path, { ...fields, name: 'Forged', intent: 'apply' });
    expect(noToken.status).toBe(403);
    const csrf = await browser.csrfToken();
    const crossSite = await browser.post(path, { ...fields, name: 'Forged', intent: 'apply', _csrf: csrf }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await getConnection(connection.id)).name).toBe('Guarded');
  });

  it('edits a revoked connection without bringing it back, and keeps the validity of an expired one for Reactivate', async () => {
    const browser = await signedIn();
    const { key, connection } = await createConnection({ name: 'Revoked one', scope: { preset: 'full' } });
    await adminRequest(`/admin/api/connections/${connection.id}/revoke`, { method: 'POST', json: {} });
    const page = await consolePage(browser, `/admin/connections/${connection.id}/edit`);
    expect(page.text).toContain('This connection is revoked and stays revoked');
    await reviewAndSave(browser, connection.id, { ...formFields(page.html), name: 'Revoked one (laptop lost)', preset: 'read_only' });
    expect(await getConnection(connection.id)).toMatchObject({ name: 'Revoked one (laptop lost)', status: 'revoked', has_key: false, scope: { preset: 'read_only' } });
    await expect(connectClient(key)).rejects.toThrow();

    const expiring = await createConnection({ name: 'Expiring', scope: { preset: 'read_only' }, expires_at: new Date(Date.now() + 1500).toISOString() });
    setClock(Date.now() + 1600);
    const expired = await consolePage(browser, `/admin/connections/${expiring.connection.id}/edit`);
    expect(expired.text).toContain('a new validity is given with Reactivate');
    expect(expired.html).not.toContain('name="expiry_mode"');
    await reviewAndSave(browser, expiring.connection.id, { ...formFields(expired.html), name: 'Expired, renamed' });
    expect(await getConnection(expiring.connection.id)).toMatchObject({ name: 'Expired, renamed', status: 'expired' });
  });
});
