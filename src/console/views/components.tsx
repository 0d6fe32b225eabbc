import type { Child } from 'hono/jsx';
import { formatDuration, formatRelative, formatTime, STATUS_LABELS } from '../format';
import type { ConsoleSession } from '../session';

export function CsrfField(props: { session: ConsoleSession }) {
  return <input type="hidden" name="_csrf" value={props.session.csrfToken} />;
}

/**
 * The status as the API names it, in words. A connection awaiting its client
 * that was used before says why it waits: it has no key (reactivated), or its
 * new key (rotated) has not been used yet.
 */
export function StatusBadge(props: { status: string; idleForSeconds?: number | null; hasKey?: boolean; lastUsedAt?: string | null }) {
  let label = STATUS_LABELS[props.status] ?? props.status;
  if (props.status === 'awaiting_connection' && props.hasKey === false) label = 'No key yet';
  else if (props.status === 'awaiting_connection' && props.lastUsedAt) label = 'Awaiting the new key';
  const idle = props.status === 'idle' && typeof props.idleForSeconds === 'number' ? `idle for ${formatDuration(props.idleForSeconds)}` : null;
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {label}
      {idle ? <span class="badge-detail"> · {idle}</span> : null}
    </span>
  );
}

/** A time as "3 minutes ago" or "in 23 hours", with the exact UTC time on hover and for assistive technology. */
export function Time(props: { iso: string | null | undefined; empty?: string; now?: number }) {
  if (!props.iso) return <span class="muted">{props.empty ?? '—'}</span>;
  const exact = formatTime(props.iso);
  return (
    <time datetime={props.iso} title={exact}>
      {formatRelative(props.iso, props.now ?? Date.now())}
    </time>
  );
}

export function Notice(props: { kind: 'success' | 'error' | 'warning' | 'info'; title?: string; children?: Child }) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.title ? <p class="notice-title">{props.title}</p> : null}
      {props.children}
    </div>
  );
}

/** The errors for one field: in words when the page has put them in words, else with the API path they came from. */
export function FieldErrors(props: { id: string; errors?: { path: string; message: string; words?: string }[] }) {
  if (!props.errors?.length) return null;
  return (
    <ul class="field-errors" id={`${props.id}-errors`}>
      {props.errors.map((error) =>
        error.words !== undefined ? (
          <li>{error.words}</li>
        ) : (
          <li>
            <code>{error.path || '(body)'}</code>: {error.message}
          </li>
        ),
      )}
    </ul>
  );
}

/**
 * A button that opens a dialog saying what will happen, with the form that
 * does it inside. `commandfor` opens it without script where the browser
 * supports invoker commands; console.js does it elsewhere.
 */
export function ConfirmAction(props: {
  id: string;
  label: string;
  title: string;
  message: Child;
  action: string;
  confirmLabel: string;
  session: ConsoleSession;
  danger?: boolean;
  hidden?: Record<string, string>;
}) {
  const dialogId = `confirm-${props.id}`;
  return (
    <>
      <button type="button" class={props.danger ? 'button danger' : 'button'} commandfor={dialogId} command="show-modal" data-open-dialog={dialogId}>
        {props.label}
      </button>
      <dialog id={dialogId} aria-labelledby={`${dialogId}-title`} class="confirm">
        <form method="post" action={props.action}>
          <CsrfField session={props.session} />
          {Object.entries(props.hidden ?? {}).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <h2 id={`${dialogId}-title`}>{props.title}</h2>
          <div class="confirm-message">{props.message}</div>
          <div class="actions">
            <button type="submit" class={props.danger ? 'button danger' : 'button primary'}>
              {props.confirmLabel}
            </button>
            <button type="button" class="button" commandfor={dialogId} command="close" data-close-dialog={dialogId}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

export function CopyField(props: { id: string; label: string; value: string; secret?: boolean }) {
  return (
    <div class="copy-field">
      <label for={props.id}>{props.label}</label>
      <div class="copy-row">
        <input id={props.id} type="text" readonly value={props.value} class={props.secret ? 'mono secret' : 'mono'} autocomplete="off" spellcheck={false} />
        <button type="button" class="button" data-copy={props.id} aria-describedby="copy-status">
          Copy
        </button>
      </div>
    </div>
  );
}

/** A list table's header row; `actions` adds a last column for row buttons, named for screen readers only. */
export function ListHead(props: { columns: Array<string | null>; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (column === null ? null : <th scope="col">{column}</th>))}
        {props.actions ? (
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}

/** A labelled filter drop-down; `any` is the label of the empty choice, when there is one. */
export function SelectFilter(props: { id: string; name: string; label: string; options: Array<readonly [string, string]>; selected: string; any?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name}>
        {props.any === undefined ? null : <option value="">{props.any}</option>}
        {props.options.map(([value, label]) => (
          <option value={value} selected={props.selected === value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
