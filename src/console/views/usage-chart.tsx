import type { Child } from 'hono/jsx';
import type { ConnectionUsageJson, UsageSeriesJson } from '../api-types';

/**
 * Usage drawn on the server as inline SVG: no chart script, nothing for the
 * CSP to allow (colours come from console.css classes). Every chart has a
 * text alternative with its totals; the connection's chart also has its
 * numbers per day in a table. Bars carry data-* attributes with the counts
 * they were drawn from.
 */
type Counts = UsageSeriesJson['totals'];
type Bucket = UsageSeriesJson['buckets'][number];

const OUTCOMES = [
  { key: 'allowed', label: 'allowed' },
  { key: 'error', label: 'Odoo errors' },
  { key: 'denied', label: 'denied' },
] as const;

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const total = (counts: Counts) => counts.allowed + counts.denied + counts.error;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** "120 calls: 100 allowed, 15 denied, 5 Odoo errors" */
export function countsInWords(counts: Counts): string {
  const calls = total(counts);
  if (calls === 0) return 'no calls';
  return `${plural(calls, 'call')}: ${counts.allowed.toLocaleString('en-US')} allowed, ${counts.denied.toLocaleString('en-US')} denied, ${plural(counts.error, 'Odoo error')}`;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Thu 3 Dec 13:00 UTC" */
function hourLabel(iso: string): string {
  const date = new Date(iso);
  return `${DAY_NAMES[date.getUTCDay()]} ${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${iso.slice(11, 16)} UTC`;
}

/** A round top for the scale: 1, 2, 5, 10, 20, 50, ... */
function scaleTop(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= max)!;
}

const BAR = 4;
const LEFT = 36;
const PLOT = 110;
const TOP = 8;

export function UsageChart(props: { usage: ConnectionUsageJson }) {
  const { usage } = props;
  const buckets = usage.buckets;
  const busiest = buckets.reduce<Bucket | null>((best, bucket) => (total(bucket) > (best ? total(best) : 0) ? bucket : best), null);
  const summary = `Last 7 days: ${countsInWords(usage.totals)}.${busiest ? ` Busiest hour: ${hourLabel(busiest.start)}, ${plural(total(busiest), 'call')}.` : ''}`;
  return (
    <figure class="usage" data-totals={JSON.stringify(usage.totals)}>
      <UsageSvg buckets={buckets} summary={summary} />
      <figcaption>
        <span class="usage-summary">{summary}</span>
        <span class="legend" aria-hidden="true">
          {OUTCOMES.map(({ key, label }) => (
            <span class={`legend-${key}`}>{label}</span>
          ))}
        </span>
      </figcaption>
      <UsageDaysTable days={perDay(buckets)} />
    </figure>
  );
}

/** Calls per hour, stacked by outcome, on a round scale; a day's first hour is marked on the time axis. */
function UsageSvg(props: { buckets: Bucket[]; summary: string }) {
  const { buckets } = props;
  const top = scaleTop(Math.max(0, ...buckets.map(total)));
  const width = LEFT + buckets.length * BAR + 4;
  const height = TOP + PLOT + 22;
  return (
    <svg
      class="usage-chart"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-labelledby="usage-chart-title usage-chart-desc"
      preserveAspectRatio="xMinYMin meet"
    >
      <title id="usage-chart-title">Calls per hour over the last 7 days, by outcome</title>
      <desc id="usage-chart-desc">{props.summary}</desc>
      <line class="axis" x1={LEFT} x2={width - 4} y1={TOP + PLOT} y2={TOP + PLOT} />
      <line class="grid" x1={LEFT} x2={width - 4} y1={TOP} y2={TOP} />
      <text class="tick" x={LEFT - 4} y={TOP + 4} text-anchor="end">
        {top}
      </text>
      <text class="tick" x={LEFT - 4} y={TOP + PLOT} text-anchor="end">
        0
      </text>
      {buckets.map((bucket, index) => (bucket.start.slice(11, 13) === '00' ? <DayTick bucket={bucket} index={index} /> : null))}
      {buckets.map((bucket, index) => (total(bucket) === 0 ? null : <BucketBars bucket={bucket} index={index} top={top} />))}
    </svg>
  );
}

function DayTick(props: { bucket: Bucket; index: number }) {
  const x = LEFT + props.index * BAR;
  return (
    <>
      <line class="grid" x1={x} x2={x} y1={TOP} y2={TOP + PLOT + 4} />
      <text class="tick" x={x + 2} y={TOP + PLOT + 16}>
        {DAY_NAMES[new Date(props.bucket.start).getUTCDay()]} {props.bucket.start.slice(8, 10)}
      </text>
    </>
  );
}

/** One hour's bar: a rect per outcome, stacked from the axis up, at least a pixel high. */
function BucketBars(props: { bucket: Bucket; index: number; top: number }) {
  const { bucket, index } = props;
  let base = TOP + PLOT;
  return (
    <g class="bucket" data-start={bucket.start}>
      <title>{`${hourLabel(bucket.start)}: ${countsInWords(bucket)}`}</title>
      {OUTCOMES.map(({ key }) => {
        const calls = bucket[key];
        if (calls === 0) return null;
        const barHeight = Math.max(1, (calls / props.top) * PLOT);
        base -= barHeight;
        return <rect class={`bar bar-${key}`} x={LEFT + index * BAR} y={base.toFixed(2)} width={BAR - 1} height={barHeight.toFixed(2)} data-outcome={key} data-calls={calls} />;
      })}
    </g>
  );
}

/** The chart's numbers per day, for reading rather than looking. */
function UsageDaysTable(props: { days: Array<{ day: string } & Counts> }) {
  return (
    <details class="usage-days">
      <summary>Calls per day</summary>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Allowed</th>
            <th scope="col">Denied</th>
            <th scope="col">Odoo errors</th>
          </tr>
        </thead>
        <tbody>
          {props.days.map((day) => (
            <tr data-day={day.day}>
              <th scope="row">{day.day}</th>
              <td data-label="Allowed">{day.allowed}</td>
              <td data-label="Denied">{day.denied}</td>
              <td data-label="Odoo errors">{day.error}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function perDay(buckets: Bucket[]): Array<{ day: string } & Counts> {
  const days: Array<{ day: string } & Counts> = [];
  for (const bucket of buckets) {
    const day = bucket.start.slice(0, 10);
    let row = days.at(-1);
    if (!row || row.day !== day) days.push((row = { day, allowed: 0, denied: 0, error: 0 }));
    row.allowed += bucket.allowed;
    row.denied += bucket.denied;
    row.error += bucket.error;
  }
  return days;
}

const SPARK_BAR = 3;
const SPARK_HEIGHT = 20;

/** A row's 7 days in a glance: calls per bucket, the part that was denied or failed in red on top. */
export function Sparkline(props: { usage: UsageSeriesJson }) {
  const { buckets, totals } = props.usage;
  const width = buckets.length * SPARK_BAR;
  const top = Math.max(1, ...buckets.map(total));
  const label = `Last 7 days: ${countsInWords(totals)}`;
  return (
    <svg class="sparkline" viewBox={`0 0 ${width} ${SPARK_HEIGHT}`} width={width} height={SPARK_HEIGHT} role="img" aria-label={label} data-totals={JSON.stringify(totals)}>
      <title>{label}</title>
      <line class="axis" x1={0} x2={width} y1={SPARK_HEIGHT - 0.5} y2={SPARK_HEIGHT - 0.5} />
      {buckets.map((bucket, index) => {
        const calls = total(bucket);
        if (calls === 0) return null;
        const height = Math.max(1, (calls / top) * (SPARK_HEIGHT - 1));
        const failed = bucket.denied + bucket.error;
        const failedHeight = failed ? Math.max(1, (failed / calls) * height) : 0;
        return (
          <g data-start={bucket.start} data-calls={calls} data-failed={failed}>
            <rect class="spark-ok" x={index * SPARK_BAR} y={(SPARK_HEIGHT - 1 - height + failedHeight).toFixed(2)} width={SPARK_BAR - 1} height={(height - failedHeight).toFixed(2)} />
            {failed ? <rect class="spark-failed" x={index * SPARK_BAR} y={(SPARK_HEIGHT - 1 - height).toFixed(2)} width={SPARK_BAR - 1} height={failedHeight.toFixed(2)} /> : null}
          </g>
        );
      })}
    </svg>
  );
}

/** Top tools, top models and denial reasons, each linked to the audit events it counts. */
export function UsageLists(props: { usage: ConnectionUsageJson }) {
  const { usage } = props;
  const audit = (filters: Record<string, string>) => `/admin/audit?${new URLSearchParams({ connection_id: usage.connection_id, from: usage.from.slice(0, 10), ...filters })}`;
  return (
    <div class="usage-lists">
      <UsageListSection
        id="top-tools-title"
        title="Top tools"
        empty="No tool called."
        list={
          usage.top_tools.length ? (
            <ol class="top-list">
              {usage.top_tools.map((item) => (
                <li data-tool={item.tool}>
                  <CountedLink href={audit({ tool: item.tool })} label={item.tool} calls={item.calls} />
                </li>
              ))}
            </ol>
          ) : null
        }
      />
      <UsageListSection
        id="top-models-title"
        title="Top models"
        empty="No model reached."
        list={
          usage.top_models.length ? (
            <ol class="top-list">
              {usage.top_models.map((item) => (
                <li data-model={item.model}>
                  <CountedLink href={audit({ model: item.model })} label={item.model} calls={item.calls} />
                </li>
              ))}
            </ol>
          ) : null
        }
      />
      <UsageListSection
        id="denials-title"
        title="Denial reasons"
        empty="Nothing denied."
        list={
          usage.denial_reasons.length ? (
            <ul class="top-list">
              {usage.denial_reasons.map((item) => (
                <li data-denial={item.code ?? ''}>
                  <CountedLink href={audit({ outcome: 'denied' })} label={item.code ?? 'denied'} calls={item.calls} />
                  {item.latest_reason ? <div class="muted small">Latest: {item.latest_reason}</div> : null}
                </li>
              ))}
            </ul>
          ) : null
        }
      />
    </div>
  );
}

/** A titled list, or what it says when there is nothing to list. */
function UsageListSection(props: { id: string; title: string; empty: string; list: Child | null }) {
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id}>{props.title}</h3>
      {props.list ?? <p class="muted">{props.empty}</p>}
    </section>
  );
}

function CountedLink(props: { href: string; label: string; calls: number }) {
  return (
    <>
      <a href={props.href}>
        <code>{props.label}</code>
      </a>{' '}
      <span class="count">{plural(props.calls, 'call')}</span>
    </>
  );
}
