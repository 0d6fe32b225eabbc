import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OdooAccountJson, Page } from '../api-types';
import { issuesOf } from '../api-types';
import type { ConsoleEnv } from '../context';
import { defaultWizardValues, readWizardForm, scopeOfForm } from '../scope-form';
import { InvitationCreatedPage, InvitationFormPage, type InvitationFormValues } from '../views/invitation';
import type { Errors } from '../views/scope-fields';
import { asStatus, errorsInWords, switchScopeMode, type ConsoleContext } from './shared';

/** The console's invitation form, mounted under /admin/connections (session, CSRF and same-origin checks come from there). */
export const invitationPages = new Hono<ConsoleEnv>();

invitationPages.get('/new', (c) => renderForm(c, { ...defaultWizardValues(), validForHours: '24', connectionValidForDays: '' }, new Map()));

invitationPages.post('/new', async (c) => {
  const form = c.var.form;
  const values: InvitationFormValues = { ...readWizardForm(form), validForHours: form.get('valid_for_hours')?.trim() ?? '', connectionValidForDays: form.get('connection_valid_for_days')?.trim() ?? '' };
  const intent = form.get('intent');
  if (intent === 'to_json' || intent === 'to_form') {
    const switched = switchScopeMode(values, intent);
    return renderForm(c, switched.values, switched.errors, switched.problem, 200);
  }
  const { scope, issues, layout } = scopeOfForm(values);
  if (!values.name.trim()) issues.push({ path: 'name', message: 'give the connection a name' });
  const body: Record<string, unknown> = { name: values.name.trim(), scope };
  if (values.odooAccountId) body.odoo_account_id = values.odooAccountId;
  if (values.validForHours) body.valid_for_hours = Number(values.validForHours);
  if (values.connectionValidForDays) body.connection_valid_for_days = Number(values.connectionValidForDays);
  if (issues.length) {
    const errors = errorsInWords(issues, values, scope, layout);
    return renderForm(c, values, errors, 'Nothing was created: the form needs a change.');
  }
  const created = await c.var.api.post<{ id: string; url: string; expires_at: string }>('/invitations', body);
  if (!created.ok) {
    const errors = errorsInWords(issuesOf(created.error.details), values, scope, layout);
    return renderForm(c, values, errors, `${created.error.message} Nothing was created.`, asStatus(created.status));
  }
  return c.html(<InvitationCreatedPage session={c.var.session} name={values.name.trim()} url={created.body.url} expiresAt={created.body.expires_at} />, 201);
});

async function renderForm(c: ConsoleContext, values: InvitationFormValues, errors: Errors, problem?: string, status: ContentfulStatusCode = problem ? 400 : 200) {
  const accounts = await c.var.api.get<Page<OdooAccountJson>>('/odoo-accounts', { limit: '200' });
  return c.html(
    <InvitationFormPage
      session={c.var.session}
      values={values}
      accounts={accounts.ok ? accounts.body.items : []}
      accountsError={accounts.ok ? undefined : `Odoo accounts could not be listed: ${accounts.error.message}`}
      errors={errors}
      problem={problem}
    />,
    status,
  );
}
