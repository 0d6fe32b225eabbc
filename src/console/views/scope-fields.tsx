import type { ValidationIssue } from '../api-types';
import { DAYS, OPERATIONS, type ModelRowValues, type ScopeFormValues, type WindowRowValues } from '../scope-form';
import { FieldErrors } from './components';

/** An issue as the page shows it: `words` when the page has put it in words (see issue-words.ts). */
export type ShownIssue = ValidationIssue & { words?: string };
export type Errors = Map<string, ShownIssue[]>;

export const fieldId = (key: string) => `f-${key.replaceAll('.', '-')}`;

const OPERATION_HINTS: Record<string, string> = {
  query: 'search, count',
  read: 'read records',
  create: 'create records',
  write: 'update records',
  delete: 'delete records',
  execute: 'public model methods',
  schema: 'models, fields',
  report: 'grouped aggregates, reports',
};

const PRESETS = [
  { value: 'full', label: 'Full access', hint: 'Every operation on every model the Odoo user can reach, except models that hold credentials or system settings.' },
  { value: 'read_only', label: 'Read only', hint: 'Search, read, describe models and aggregate; nothing can be changed.' },
  { value: 'custom', label: 'Custom', hint: 'Only the operations you tick below.' },
];

/** aria-invalid and aria-describedby for a field with errors. */
function errorAttributes(key: string, errors: Errors) {
  return errors.get(key)?.length ? { 'aria-invalid': 'true', 'aria-describedby': `${fieldId(key)}-errors` } : {};
}

export function TextField(props: {
  name: string;
  label: string;
  value: string;
  errors: Errors;
  hint?: string;
  type?: string;
  required?: boolean;
  placeholder?: string;
  autocomplete?: string;
  wide?: boolean;
}) {
  const id = fieldId(props.name);
  return (
    <div class={props.wide ? 'field wide' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete ?? 'off'}
        {...errorAttributes(props.name, props.errors)}
      />
      <FieldErrors id={id} errors={props.errors.get(props.name)} />
    </div>
  );
}

export function TextArea(props: { name: string; label: string; value: string; errors: Errors; hint?: string; rows?: number; placeholder?: string; errorKey?: string; mono?: boolean }) {
  const id = fieldId(props.name);
  const key = props.errorKey ?? props.name;
  return (
    <div class="field wide">
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <textarea id={id} name={props.name} rows={props.rows ?? 3} placeholder={props.placeholder} class={props.mono ? 'mono' : undefined} spellcheck={false} {...errorAttributes(key, props.errors)}>
        {props.value}
      </textarea>
      <FieldErrors id={fieldId(key)} errors={props.errors.get(key)} />
    </div>
  );
}

function OperationBoxes(props: { name: string; legend: string; hint?: string; checked: string[]; errors: Errors; errorKey: string }) {
  const id = fieldId(props.errorKey);
  return (
    <fieldset class="checkboxes" id={id} {...errorAttributes(props.errorKey, props.errors)}>
      <legend>{props.legend}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {OPERATIONS.map((operation) => (
        <label class="check">
          <input type="checkbox" name={props.name} value={operation} checked={props.checked.includes(operation)} />
          {operation} <span class="muted">({OPERATION_HINTS[operation]})</span>
        </label>
      ))}
      <FieldErrors id={id} errors={props.errors.get(props.errorKey)} />
    </fieldset>
  );
}

export function ModelRow(props: { index: number | string; row: ModelRowValues; errors: Errors }) {
  const key = (field: string) => `model.${props.index}.${field}`;
  return (
    <fieldset class="row-card" data-row="model">
      <legend>Model rule</legend>
      <div class="grid">
        <TextField name={key('pattern')} label="Model or pattern" placeholder="sale.order or sale.*" value={props.row.pattern} errors={props.errors} />
        <TextField name={key('read_fields')} label="Fields it may read" hint="Comma-separated; empty means every field." value={props.row.readFields} errors={props.errors} />
        <TextField name={key('write_fields')} label="Fields it may write" hint="Comma-separated; empty means every field." value={props.row.writeFields} errors={props.errors} />
        <TextField name={key('methods')} label="Methods it may execute" hint="Comma-separated public methods, e.g. message_post." value={props.row.methods} errors={props.errors} />
        <TextField name={key('domain')} label="Extra domain (JSON)" hint='ANDed into every search, e.g. [["state", "=", "sale"]].' value={props.row.domain} errors={props.errors} wide />
      </div>
      <OperationBoxes name={key('ops')} errorKey={key('ops')} legend="Operations on this model" hint="Leave all unticked to allow every operation of the scope." checked={props.row.operations} errors={props.errors} />
    </fieldset>
  );
}

export function WindowRow(props: { index: number | string; row: WindowRowValues; errors: Errors }) {
  const key = (field: string) => `window.${props.index}.${field}`;
  const daysId = fieldId(key('days'));
  return (
    <fieldset class="row-card" data-row="window">
      <legend>Time window</legend>
      <fieldset class="checkboxes inline" id={daysId} {...errorAttributes(key('days'), props.errors)}>
        <legend>Days</legend>
        {DAYS.map((day) => (
          <label class="check">
            <input type="checkbox" name={key('days')} value={day} checked={props.row.days.includes(day)} />
            {day}
          </label>
        ))}
        <FieldErrors id={daysId} errors={props.errors.get(key('days'))} />
      </fieldset>
      <div class="grid">
        <TextField name={key('start')} label="From (HH:MM)" type="time" value={props.row.start} errors={props.errors} />
        <TextField name={key('end')} label="Until (HH:MM)" type="time" value={props.row.end} errors={props.errors} />
        <TextField name={key('tz')} label="Time zone (IANA)" placeholder="Europe/Brussels" value={props.row.tz} errors={props.errors} />
      </div>
    </fieldset>
  );
}

export function ScopeFields(props: { values: ScopeFormValues; errors: Errors }) {
  const { values, errors } = props;
  return (
    <>
      <fieldset class="presets" id={fieldId('preset')} {...errorAttributes('preset', errors)}>
        <legend>Scope</legend>
        {PRESETS.map((preset) => (
          <label class="choice">
            <input type="radio" name="preset" value={preset.value} checked={values.preset === preset.value} />
            <span>
              <strong>{preset.label}</strong>
              <span class="hint">{preset.hint}</span>
            </span>
          </label>
        ))}
        <FieldErrors id={fieldId('preset')} errors={errors.get('preset')} />
      </fieldset>

      <div data-show-when="preset=custom">
        <OperationBoxes name="operations" errorKey="operations" legend="Operations (Custom)" checked={values.operations} errors={errors} />
      </div>

      <details class="more" open={hasRestrictions(values) || hasAnyError(errors, ['model.', 'window.', 'models', 'time_windows', 'deny_models', 'ip_allow', 'rate_limit'])}>
        <summary>Models, IP addresses, time windows and rate limit</summary>
        <h3>Models</h3>
        <p class="hint">Without model rules the scope applies to every model. With rules, only the models named (or matched by a pattern) are reachable.</p>
        <div id="model-rows" class="rows">
          {values.models.map((row, index) => (
            <ModelRow index={index} row={row} errors={errors} />
          ))}
        </div>
        <FieldErrors id={fieldId('models')} errors={errors.get('models')} />
        <button type="button" class="button" data-add-row="model">
          Add a model rule
        </button>
        <template id="model-row-template">
          <ModelRow index="__INDEX__" row={{ pattern: '', operations: [], readFields: '', writeFields: '', methods: '', domain: '' }} errors={new Map()} />
        </template>

        <TextArea name="deny_models" label="Denied models" hint="One model or pattern per line; a denial wins over every rule." value={values.denyModels} errors={errors} rows={2} mono />
        <TextArea name="ip_allow" label="Allowed client IPs" hint="One IPv4 or IPv6 address or CIDR range per line; empty allows every IP." value={values.ipAllow} errors={errors} rows={2} mono />

        <h3>Time windows</h3>
        <p class="hint">When the key may be used; without windows it works at every hour. A window whose end is before its start runs past midnight.</p>
        <div id="window-rows" class="rows">
          {values.windows.map((row, index) => (
            <WindowRow index={index} row={row} errors={errors} />
          ))}
        </div>
        <FieldErrors id={fieldId('time_windows')} errors={errors.get('time_windows')} />
        <button type="button" class="button" data-add-row="window">
          Add a time window
        </button>
        <template id="window-row-template">
          <WindowRow index="__INDEX__" row={{ days: [], start: '', end: '', tz: 'UTC' }} errors={new Map()} />
        </template>

        <fieldset class="inline-fields" id={fieldId('rate_limit')} {...errorAttributes('rate_limit', errors)}>
          <legend>Rate limit</legend>
          <label for={fieldId('rate_requests')}>At most</label>
          <input id={fieldId('rate_requests')} name="rate_requests" type="text" inputmode="numeric" size={6} value={values.rateRequests} />
          <label for={fieldId('rate_per_seconds')}>requests per</label>
          <input id={fieldId('rate_per_seconds')} name="rate_per_seconds" type="text" inputmode="numeric" size={6} value={values.ratePerSeconds} />
          <span>seconds (empty: no limit for this key).</span>
          <FieldErrors id={fieldId('rate_limit')} errors={errors.get('rate_limit')} />
        </fieldset>
      </details>
    </>
  );
}

function hasRestrictions(values: ScopeFormValues): boolean {
  return (
    values.models.some((row) => row.pattern) ||
    Boolean(values.denyModels.trim() || values.ipAllow.trim() || values.rateRequests || values.ratePerSeconds) ||
    values.windows.some((row) => row.days.length || row.start || row.end)
  );
}

function hasAnyError(errors: Errors, prefixes: string[]): boolean {
  return [...errors.keys()].some((key) => prefixes.some((prefix) => key.startsWith(prefix)));
}
