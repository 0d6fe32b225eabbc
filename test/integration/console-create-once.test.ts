import { describe, expect, it } from 'vitest';
import { adminRequest } from '../support/gateway';
import { useStandinOdoo } from '../support/odoo';
import { signedIn } from './console-helpers';

useStandinOdoo();

const KEY = /omcp_[a-z2-7]{12}_[A-Za-z0-9]{38}/;

async function countNamed(name: string): Promise<number> {
  const body = (await (await adminRequest(`/admin/api/connections?q=${encodeURIComponent(name)}&limit=200`)).json()) as { items: { name: string }[] };
  return body.items.filter((item) => item.name === name).length;
}

function submissionOf(html: string): string {
  return /name="submission" value="([^"]+)"/.exec(html)![1]!;
}

describe('the create wizard runs each form once (Post/Redirect/Get)', () => {
  it('redirects after the create, shows the key once, and a reload or a resubmitted form creates nothing', async () => {
    const browser = await signedIn();
    const details = await (await browser.get('/admin/connections/new/details?method=bearer')).text();
    const submission = submissionOf(details);
    const form = { name: 'Created once', preset: 'full', scope_mode: 'form', expiry_mode: 'never', intent: 'create', submission, _csrf: await browser.csrfToken() };

    const posted = await browser.post('/admin/connections/new', form);
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/connections\/con_[^/]+\/created\?submission=/);
    expect(await posted.text()).not.toMatch(KEY);

    const done = await browser.get(location);
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    const html = await done.text();
    expect(html).toContain('This key is shown only once.');
    const key = KEY.exec(html)![0];

    // Reload: the key is gone, nothing is created, the admin lands on the connection.
    const reloaded = await browser.get(location);
    expect(reloaded.status).toBe(303);
    expect(reloaded.headers.get('location')).toMatch(/^\/admin\/connections\/con_[^/?]+\?done=key_shown$/);
    const connectionPage = await (await browser.get(reloaded.headers.get('location')!)).text();
    expect(connectionPage).toContain('was shown once and is not stored');
    expect(connectionPage).not.toContain(key);

    // Back and submit the same form again, twice: no second connection, no second key.
    for (let attempt = 0; attempt < 2; attempt++) {
      const again = await browser.post('/admin/connections/new', form);
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toMatch(/\?done=already_created$/);
      expect(await again.text()).not.toMatch(KEY);
    }
    expect(await countNamed('Created once')).toBe(1);

    // Another session cannot open this session's Done page.
    const other = await signedIn();
    const stolen = await other.get(location);
    expect(stolen.status).toBe(303);
    expect(await stolen.text()).not.toMatch(KEY);
  });

  it('lets a refused form be corrected and sent again, and a new form create another connection', async () => {
    const browser = await signedIn();
    const submission = submissionOf(await (await browser.get('/admin/connections/new/details?method=bearer')).text());
    const base = { preset: 'read_only', scope_mode: 'form', expiry_mode: 'never', intent: 'create', submission, _csrf: await browser.csrfToken() };
    const refused = await browser.post('/admin/connections/new', { ...base, name: '' });
    expect(refused.status).toBe(400);
    const fixed = await browser.post('/admin/connections/new', { ...base, name: 'Fixed form' });
    expect(fixed.status).toBe(303);
    const fresh = submissionOf(await (await browser.get('/admin/connections/new/details?method=bearer')).text());
    expect(fresh).not.toBe(submission);
    const second = await browser.post('/admin/connections/new', { ...base, submission: fresh, name: 'Fixed form' });
    expect(second.headers.get('location')).toMatch(/\/created\?submission=/);
    expect(await countNamed('Fixed form')).toBe(2);
  });

  it('refuses a form without a valid submission id, creating nothing', async () => {
    const browser = await signedIn();
    const response = await browser.post('/admin/connections/new', {
      name: 'No submission', preset: 'full', scope_mode: 'form', expiry_mode: 'never', intent: 'create', submission: 'x', _csrf: await browser.csrfToken(),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This form is out of date');
    expect(await countNamed('No submission')).toBe(0);
  });
});
