import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { auditAdminAction, type AdminAction } from '../../audit/admin-actions';
import { buildSnippets, type Snippets } from '../../snippets/snippets';
import type { AppEnv } from '../../http/context';
import type { ApiProblem } from '../api-client';
import type { ValidationIssue } from '../api-types';
import type { ConsoleEnv } from '../context';
import { issuesInWords } from '../issue-words';
import { groupIssues, scopeFromForm, type ConnectionFormValues, type ScopeLayout } from '../scope-form';
import { scopeJsonToForm } from '../scope-prefill';
import { MessagePage } from '../views/layout';
import type { Errors } from '../views/scope-fields';

export type ConsoleContext = Context<ConsoleEnv>;

/** An API refusal on a page that has nothing else to show: its message, with its status. */
export function renderApiFailure(c: ConsoleContext, failure: { status: number; error: ApiProblem }, title = 'Something went wrong') {
  return c.html(<MessagePage title={title} message={failure.error.message} session={c.get('session')} />, asStatus(failure.status));
}

/** An API error status, kept for the page that reports it. */
export function asStatus(status: number): ContentfulStatusCode {
  return (status >= 400 && status <= 599 ? status : 500) as ContentfulStatusCode;
}

/** Built the way the API builds them, with the MCP server named after the connection. */
export function snippetsFor(mcpUrl: string, key: string, connectionName: string): Snippets {
  return buildSnippets(mcpUrl, key, connectionName);
}

export function mcpUrlFor(c: ConsoleContext): string {
  return `${c.var.services.config.PUBLIC_URL ?? new URL(c.req.url).origin}/mcp`;
}

/** Console sign-in and sign-out are admin actions too, audited like the API's. */
export function auditConsoleAction(c: ConsoleContext, action: AdminAction): void {
  auditAdminAction(c as unknown as Context<AppEnv>, action);
}

/** Notices after a redirect come from a fixed list, so a crafted link cannot put words on the page. */
export function noticeFor(done: string | undefined, notices: Record<string, string>): string | undefined {
  return done !== undefined && Object.hasOwn(notices, done) ? notices[done] : undefined;
}

/** API or console issues in words, grouped by the form field they belong next to. */
export function errorsInWords(issues: ValidationIssue[], values: ConnectionFormValues & { odooAccountId?: string }, scope: unknown, layout: ScopeLayout): Errors {
  return groupIssues(issuesInWords(issues, { values, scope }), values.scopeMode, layout);
}

/** The scope carried from the form into raw JSON or back; JSON the form cannot say exactly stays JSON, with why. */
export function switchScopeMode<T extends ConnectionFormValues>(values: T, intent: 'to_json' | 'to_form'): { values: T; errors: Errors; problem?: string } {
  if (intent === 'to_json') return { values: { ...values, scopeMode: 'json', scopeJson: JSON.stringify(scopeFromForm(values.scope).scope, null, 2) }, errors: new Map() };
  const back = scopeJsonToForm(values.scopeJson);
  if (back.ok) return { values: { ...values, scopeMode: 'form', scope: back.values }, errors: new Map() };
  const words = `The scope JSON ${back.message}.`;
  return { values: { ...values, scopeMode: 'json' }, errors: new Map([['scope_json', [{ path: 'scope', message: back.message, words }]]]), problem: 'The scope stays in raw JSON.' };
}
