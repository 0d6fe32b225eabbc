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
  const top = scaleTop(Math.max(0, ...buckets.map(total)));
  const width = LEFT + buckets.length * BAR + 4;
  const height = TOP + PLOT + 22;
  const y = (calls: number) => (calls / top) * PLOT;
  const busiest = buckets.reduce<Bucket | null>((best, bucket) => (total(bucket) > (best ? total(best) : 0) ? bucket : best), null);
  const summary = `Last 7 days: ${countsInWords(usage.totals)}.${busiest ? ` Busiest hour: ${hourLabel(busiest.start)}, ${plural(total(busiest), 'call')}.` : ''}`;
  const days = perDay(buckets);
  return (
    <figure class="usage" data-totals={JSON.stringify(usage.totals)}>
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
        <desc id="usage-chart-desc">{summary}</desc>
        <line class="axis" x1={LEFT} x2={width - 4} y1={TOP + PLOT} y2={TOP + PLOT} />
        <line class="grid" x1={LEFT} x2={width - 4} y1={TOP} y2={TOP} />
        <text class="tick" x={LEFT - 4} y={TOP + 4} text-anchor="end">
          {top}
        </text>
        <text class="tick" x={LEFT - 4} y={TOP + PLOT} text-anchor="end">
          0
        </text>
        {buckets.map((bucket, index) =>
          bucket.start.slice(11, 13) === '00' ? (
            <>
              <line class="grid" x1={LEFT + index * BAR} x2={LEFT + index * BAR} y1={TOP} y2={TOP + PLOT + 4} />
              <text class="tick" x={LEFT + index * BAR + 2} y={TOP + PLOT + 16}>
                {DAY_NAMES[new Date(bucket.start).getUTCDay()]} {bucket.start.slice(8, 10)}
              </text>
            </>
          ) : null,
        )}
        {buckets.map((bucket, index) => {
          if (total(bucket) === 0) return null;
          let base = TOP + PLOT;
          return (
            <g class="bucket" data-start={bucket.start}>
              <title>{`${hourLabel(bucket.start)}: ${countsInWords(bucket)}`}</title>
              {OUTCOMES.map(({ key }) => {
                const calls = bucket[key];
                if (calls === 0) return null;
                const barHeight = Math.max(1, y(calls));
                base -= barHeight;
                return <rect class={`bar bar-${key}`} x={LEFT + index * BAR} y={base.toFixed(2)} width={BAR - 1} height={barHeight.toFixed(2)} data-outcome={key} data-calls={calls} />;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="usage-summary">{summary}</span>
        <span class="legend" aria-hidden="true">
          {OUTCOMES.map(({ key, label }) => (
            <span class={`legend-${key}`}>{label}</span>
          ))}
        </span>
      </figcaption>
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
            {days.map((day) => (
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
    </figure>
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
      <section aria-labelledby="top-tools-title">
        <h3 id="top-tools-title">Top tools</h3>
        {usage.top_tools.length ? (
          <ol class="top-list">
            {usage.top_tools.map((item) => (
              <li data-tool={item.tool}>
                <a href={audit({ tool: item.tool })}>
                  <code>{item.tool}</code>
                </a>{' '}
                <span class="count">{plural(item.calls, 'call')}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">No tool called.</p>
        )}
      </section>
      <section aria-labelledby="top-models-title">
        <h3 id="top-models-title">Top models</h3>
        {usage.top_models.length ? (
          <ol class="top-list">
            {usage.top_models.map((item) => (
              <li data-model={item.model}>
                <a href={audit({ model: item.model })}>
                  <code>{item.model}</code>
                </a>{' '}
                <span class="count">{plural(item.calls, 'call')}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">No model reached.</p>
        )}
      </section>
      <section aria-labelledby="denials-title">
        <h3 id="denials-title">Denial reasons</h3>
        {usage.denial_reasons.length ? (
          <ul class="top-list">
            {usage.denial_reasons.map((item) => (
              <li data-denial={item.code ?? ''}>
                <a href={audit({ outcome: 'denied' })}>
                  <code>{item.code ?? 'denied'}</code>
                </a>{' '}
                <span class="count">{plural(item.calls, 'call')}</span>
                {item.latest_reason ? <div class="muted small">Latest: {item.latest_reason}</div> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">Nothing denied.</p>
        )}
      </section>
    </div>
  );
}
