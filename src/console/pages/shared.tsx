import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { auditAdminAction, type AdminAction } from '../../admin/admin-audit';
import { buildSnippets, type Snippets } from '../../admin/snippets';
import type { AppEnv } from '../../http/context';
import type { ApiProblem } from '../api-client';
import type { ConsoleEnv } from '../context';
import { MessagePage } from '../views/layout';

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
