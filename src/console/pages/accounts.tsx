import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OdooAccountJson, Page } from '../api-types';
import { issuesOf } from '../api-types';
import type { ConsoleEnv } from '../context';
import { consoleHeaders, requireSameOriginForm, requireSession } from '../middleware';
import { AccountsPage, type AccountFormValues } from '../views/accounts';
import type { Errors } from '../views/scope-fields';
import { asStatus, noticeFor, type ConsoleContext } from './shared';

const NOTICES = {
  added: 'Odoo accepted the credentials; the account was added.',
  deleted: 'The Odoo account was deleted.',
};

const EMPTY_FORM: AccountFormValues = { name: '', url: '', database: '', login: '', api: 'json2' };

export const accountPages = new Hono<ConsoleEnv>();

accountPages.use('*', consoleHeaders, requireSession, requireSameOriginForm);

accountPages.get('/', async (c) => renderAccounts(c, { values: EMPTY_FORM, errors: new Map(), notice: noticeFor(c.req.query('done'), NOTICES) }));

accountPages.post('/', async (c) => {
  const form = c.var.form;
  const values: AccountFormValues = {
    name: form.get('name') ?? '',
    url: form.get('url') ?? '',
    database: form.get('database') ?? '',
    login: form.get('login') ?? '',
    api: form.get('api') ?? 'json2',
  };
  const created = await c.var.api.post<OdooAccountJson>('/odoo-accounts', { ...values, api_key: form.get('api_key') ?? '' });
  if (created.ok) return c.redirect('/admin/accounts?done=added', 303);
  const errors: Errors = new Map();
  for (const issue of issuesOf(created.error.details)) {
    const field = issue.path.split('.')[0] || 'name';
    errors.set(field, [...(errors.get(field) ?? []), issue]);
  }
  // The API key is never sent back into the page, even on a failed attempt.
  return renderAccounts(c, { values, errors, problem: created.error.message }, asStatus(created.status));
});

accountPages.post('/:id/delete', async (c) => {
  const deleted = await c.var.api.delete(`/odoo-accounts/${encodeURIComponent(c.req.param('id'))}`);
  if (deleted.ok) return c.redirect('/admin/accounts?done=deleted', 303);
  return renderAccounts(c, { values: EMPTY_FORM, errors: new Map(), error: deleted.error.message }, asStatus(deleted.status));
});

async function renderAccounts(
  c: ConsoleContext,
  state: { values: AccountFormValues; errors: Errors; problem?: string; notice?: string; error?: string },
  status: ContentfulStatusCode = 200,
) {
  const cursor = c.req.query('cursor') ?? '';
  const list = await c.var.api.get<Page<OdooAccountJson>>('/odoo-accounts', { cursor: cursor || undefined, limit: '50' });
  return c.html(
    <AccountsPage
      session={c.var.session}
      accounts={list.ok ? list.body.items : []}
      nextCursor={list.ok ? list.body.next_cursor : null}
      cursor={cursor}
      {...state}
      error={state.error ?? (list.ok ? undefined : list.error.message)}
    />,
    status,
  );
}
