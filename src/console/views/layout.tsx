import type { Child } from 'hono/jsx';
import type { ConsoleSession } from '../session';
import { CsrfField } from './components';

export type Section = 'connections' | 'approvals' | 'audit' | 'accounts';

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'connections', href: '/admin/connections', label: 'Connections' },
  { section: 'approvals', href: '/admin/approvals', label: 'Approvals' },
  { section: 'audit', href: '/admin/audit', label: 'Audit log' },
  { section: 'accounts', href: '/admin/accounts', label: 'Odoo accounts' },
];

export function Layout(props: { title: string; session?: ConsoleSession; section?: Section; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · Odoo MCP gateway`}</title>
        <link rel="icon" href="/admin/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/admin/assets/console.css" />
        <script src="/admin/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/admin/connections">
            Odoo MCP gateway
          </a>
          {props.session ? (
            <>
              <nav aria-label="Console">
                <ul>
                  {NAV.map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.section === props.section ? 'page' : undefined}>
                        {item.label}
                        {item.section === 'approvals' && props.session?.pendingApprovals && props.session.pendingApprovals !== '0' ? (
                          <span class="nav-count" data-pending-approvals={props.session.pendingApprovals}>
                            {' '}
                            {props.session.pendingApprovals}
                            <span class="visually-hidden"> pending</span>
                          </span>
                        ) : null}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {props.session.who ? (
                <p class="signed-in-as small" data-role={props.session.role}>
                  Signed in as <strong>{props.session.who}</strong> · {props.session.role}
                </p>
              ) : null}
              <form method="post" action="/admin/sign-out" class="sign-out">
                <CsrfField session={props.session} />
                <button type="submit" class="button link">
                  Sign out
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <p id="copy-status" class="visually-hidden" aria-live="polite"></p>
      </body>
    </html>
  );
}

export function MessagePage(props: { title: string; message: string; session?: ConsoleSession; backHref?: string; backLabel?: string }) {
  return (
    <Layout title={props.title} session={props.session}>
      <div class="narrow">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p>
          <a href={props.backHref ?? '/admin/connections'}>{props.backLabel ?? 'Back to the console'}</a>
        </p>
      </div>
    </Layout>
  );
}
