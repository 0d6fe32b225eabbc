/** The console's stylesheet, served from /admin/assets/console.css (the CSP forbids inline style). */
export const CONSOLE_CSS = `
:root {
  --bg: #f6f7f9; --surface: #fff; --text: #1d2330; --muted: #5b6475; --border: #d9dde5;
  --accent: #6d28d9; --accent-text: #fff; --focus: #2563eb;
  --green: #116329; --green-bg: #dcf5e3; --amber: #7a4b00; --amber-bg: #fff1cc;
  --red: #a4161a; --red-bg: #fde2e1; --grey: #3d4452; --grey-bg: #e8eaef; --blue: #1e4fa3; --blue-bg: #e0ebff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; line-height: 1.5;
  color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
code, .mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--surface); padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.topbar { display: flex; align-items: center; gap: 2rem; padding: 0 2rem; min-height: 3.5rem; background: #1f1534; color: #fff; }
.topbar nav a, .topbar .brand, .sign-out .button.link { line-height: 1.5; font-size: 1rem; }
.topbar a { color: #fff; text-decoration: none; }
.brand { font-weight: 700; letter-spacing: .01em; }
.topbar nav ul { display: flex; gap: 1.25rem; list-style: none; margin: 0; padding: 0; }
.topbar nav a { opacity: .8; padding: .25rem 0; border-bottom: 2px solid transparent; }
.topbar nav a:hover, .topbar nav a[aria-current=page] { opacity: 1; border-bottom-color: #c4b5fd; }
.sign-out { margin: 0 0 0 auto; display: flex; align-items: center; }
time { white-space: nowrap; }
.sign-out .button.link { padding: 0; }
.sign-out .button.link { color: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
.narrow, .narrow.card { max-width: 30rem; margin: 3rem auto; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 1.25rem 1.5rem; margin: 0 0 1.25rem; }
.page-head { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; margin-bottom: 1rem; }
.page-head h1 { margin: .25rem 0; }
.page-head > .button { margin-left: auto; }
.breadcrumb { margin: 0; color: var(--muted); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1.25rem; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.hint { color: var(--muted); font-size: .87rem; margin: .1rem 0 .35rem; display: block; font-weight: normal; }
.empty { color: var(--muted); padding: 2rem; text-align: center; background: var(--surface); border: 1px dashed var(--border); border-radius: 10px; }
.button { display: inline-flex; align-items: center; gap: .35rem; padding: .5rem .9rem; border-radius: 7px; border: 1px solid var(--border);
  background: var(--surface); color: var(--text); font: inherit; cursor: pointer; text-decoration: none; white-space: nowrap; }
.button:hover { border-color: #9aa3b5; }
.button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.button.danger { background: var(--red); border-color: var(--red); color: #fff; }
.button.link { border: none; background: none; color: var(--accent); padding: .25rem 0; text-decoration: underline; }
.actions { display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; margin-top: 1rem; }
.card > .actions:first-of-type { margin-top: 0; }
.field { display: flex; flex-direction: column; margin: 0 0 1rem; min-width: 0; }
.field.wide { grid-column: 1 / -1; }
label { font-weight: 600; }
input[type=text], input[type=password], input[type=search], input[type=url], input[type=number], input[type=time], input[type=datetime-local], input:not([type]), select, textarea {
  font: inherit; padding: .45rem .6rem; border: 1px solid #b9c0cd; border-radius: 6px; background: #fff; color: var(--text); max-width: 100%; }
textarea { width: 100%; }
[aria-invalid=true] { border-color: var(--red) !important; }
fieldset[aria-invalid=true] { border-left: 3px solid var(--red); }
fieldset { border: 1px solid var(--border); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 600; padding: 0 .3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); column-gap: 1rem; }
.check { display: inline-flex; gap: .35rem; align-items: center; font-weight: normal; margin: .15rem 1rem .15rem 0; }
.checkboxes .check { min-width: 13rem; }
.choice { display: flex; gap: .6rem; align-items: flex-start; padding: .6rem .75rem; border: 1px solid var(--border); border-radius: 8px; margin: .4rem 0; font-weight: normal; cursor: pointer; }
.choice:has(input:checked) { border-color: var(--accent); background: #f5f0ff; }
.choice.disabled { opacity: .55; cursor: not-allowed; }
.choice input { margin-top: .3rem; }
.presets .choice { display: inline-flex; width: calc(33% - .5rem); margin-right: .5rem; vertical-align: top; min-width: 15rem; }
.inline-fields { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.inline-fields label { font-weight: normal; }
.row-card { background: #fafbfc; }
details.more { border-top: 1px solid var(--border); margin: .5rem 0 1rem; padding-top: .5rem; }
details.more > summary { cursor: pointer; font-weight: 600; color: var(--accent); padding: .35rem 0; }
.field-errors { color: var(--red); margin: .3rem 0 0; padding-left: 1.1rem; font-size: .88rem; }
.field-errors code { color: var(--red); }
.scope-words ins { text-decoration: none; background: var(--green-bg); color: var(--green); }
.scope-words del { color: var(--red); }
.scope-words li.scope-added::marker { content: '+ '; color: var(--green); }
.scope-words li.scope-removed::marker { content: '− '; color: var(--red); }
table.changes th[scope=row] { text-align: left; vertical-align: top; white-space: nowrap; }
table.changes td { vertical-align: top; }
.usage { margin: 0 0 1rem; }
.usage-chart { max-width: 100%; height: auto; display: block; }
.usage-chart .axis, .sparkline .axis { stroke: var(--border); stroke-width: 1; }
.usage-chart .grid { stroke: var(--grey-bg); stroke-width: 1; }
.usage-chart .tick { font-size: 10px; fill: var(--muted); }
.bar-allowed, .spark-ok { fill: var(--green); }
.bar-denied, .spark-failed { fill: var(--red); }
.bar-error { fill: var(--amber); }
.usage figcaption { display: flex; flex-wrap: wrap; gap: .5rem 1rem; justify-content: space-between; font-size: .9rem; margin-top: .3rem; }
.legend span { margin-left: .8rem; }
.legend span::before { content: ''; display: inline-block; width: .7rem; height: .7rem; margin-right: .3rem; border-radius: 2px; vertical-align: -1px; }
.legend-allowed::before { background: var(--green); }
.legend-denied::before { background: var(--red); }
.legend-error::before { background: var(--amber); }
.usage-lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; }
.usage-lists h3 { margin: .2rem 0 .4rem; font-size: 1rem; }
.top-list { margin: 0; padding-left: 1.3rem; }
.top-list .count { color: var(--muted); font-size: .88rem; }
.sparkline { display: block; }
.notice { border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; border: 1px solid; }
.notice p { margin: .2rem 0; }
.notice ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.notice-title { font-weight: 700; }
.notice-success { background: var(--green-bg); border-color: #9bd8ad; color: var(--green); }
.notice-error { background: var(--red-bg); border-color: #f1a7a4; color: var(--red); }
.notice-warning { background: var(--amber-bg); border-color: #f0cf7a; color: var(--amber); }
.notice-info { background: var(--blue-bg); border-color: #a9c4f5; color: var(--blue); }
.badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .82rem; font-weight: 600; white-space: nowrap; background: var(--grey-bg); color: var(--grey); margin-left: .25rem; }
code.break { overflow-wrap: anywhere; }
ul.plain { list-style: none; margin: 0; padding: 0; }
.badge-awaiting_connection { background: var(--blue-bg); color: var(--blue); }
.badge-connected, .badge-outcome-allowed { background: var(--green-bg); color: var(--green); }
.badge-idle { background: var(--amber-bg); color: var(--amber); }
.badge-revoked, .badge-outcome-denied, .badge-outcome-error { background: var(--red-bg); color: var(--red); border: 1px solid #f1a7a4; }
.badge-expired { background: var(--grey-bg); color: var(--grey); }
.badge-info { background: var(--blue-bg); color: var(--blue); }
.badge-detail { font-weight: 500; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: .9rem 1rem .1rem; margin: 0 0 1rem; }
.filters .button { margin-bottom: 1rem; }
.filter-actions { display: flex; gap: 1rem; align-items: baseline; }
.filters .field-errors { max-width: 16rem; }
.candidates { list-style: none; padding-left: 0; }
table.list { width: 100%; border-collapse: collapse; background: var(--surface); border: 1px solid var(--border); border-radius: 10px; overflow: hidden; }
table.list th, table.list td { text-align: left; padding: .55rem .75rem; border-bottom: 1px solid #eceef2; vertical-align: top; }
table.list thead th { background: #f0f2f6; font-size: .85rem; color: var(--muted); font-weight: 600; }
table.list tr.group th { background: #faf7ff; color: var(--accent); font-size: .85rem; }
.card table.list { border: none; }
.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.25rem; margin: 0; }
.details dt { color: var(--muted); }
.details dd { margin: 0; }
pre.snippet { background: #151021; color: #ece8f7; padding: .9rem 1rem; border-radius: 8px; overflow: auto; max-height: 26rem; white-space: pre; margin: .25rem 0 .6rem; }
.steps { display: flex; gap: .5rem; list-style: none; padding: 0; margin: 0 0 1.25rem; counter-reset: step; flex-wrap: wrap; }
.steps li { display: flex; align-items: center; gap: .45rem; padding: .35rem .8rem .35rem .4rem; border-radius: 999px; background: var(--grey-bg); color: var(--muted); }
.steps li.current { background: var(--accent); color: #fff; font-weight: 600; }
.steps li.done { background: #ede6ff; color: var(--accent); }
.step-number { display: inline-grid; place-items: center; width: 1.5rem; height: 1.5rem; border-radius: 50%; background: rgba(255,255,255,.35); font-size: .85rem; }
.key-reveal { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 1.25rem 1.5rem; margin: 1rem 0; }
.copy-field { margin: 0 0 1rem; }
.copy-row { display: flex; gap: .5rem; margin-top: .25rem; }
.copy-row input { flex: 1; font-size: .95rem; }
.copy-row input.secret { background: #fffbea; }
.tabs [role=tablist] { display: flex; flex-wrap: wrap; gap: .25rem; border-bottom: 1px solid var(--border); margin-bottom: .75rem; }
.tabs [role=tab] { font: inherit; background: none; border: 1px solid transparent; border-bottom: none; border-radius: 7px 7px 0 0; padding: .45rem .8rem; cursor: pointer; color: var(--muted); }
.tabs [role=tab][aria-selected=true] { background: var(--surface); border-color: var(--border); color: var(--text); font-weight: 600; margin-bottom: -1px; }
.tab-panel { margin-bottom: 1rem; }
.tabs-ready .panel-title { display: none; }
dialog.confirm { border: none; border-radius: 12px; padding: 1.5rem; max-width: 32rem; box-shadow: 0 20px 50px rgba(0,0,0,.25); }
dialog.confirm::backdrop { background: rgba(20, 14, 35, .5); }
dialog.confirm h2 { margin-top: 0; }
[hidden] { display: none !important; }
@media (max-width: 700px) { main { padding: 1rem; } .topbar { flex-wrap: wrap; gap: .75rem; padding: .75rem 1rem; } .presets .choice { width: 100%; } }
/* Phones: list tables become one card per row, each cell a labelled line, so nothing scrolls sideways and status and last use stay in view. */
@media (max-width: 640px) {
  table.stack, table.stack tbody, table.stack tr, table.stack td, table.stack tr.group th { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { border-bottom: 1px solid var(--border); padding: .5rem .75rem; }
  table.stack td { border: none; padding: .1rem 0; display: flex; flex-wrap: wrap; gap: .15rem .6rem; align-items: baseline; overflow-wrap: anywhere; }
  table.stack td > div { flex-basis: 100%; }
  table.stack td[data-label]::before { content: attr(data-label); color: var(--muted); font-size: .82rem; flex: 0 0 6.5rem; }
  table.stack td.cell-primary { font-weight: 600; display: block; }
  table.stack td.cell-primary .muted { font-weight: normal; }
  table.stack .badge { margin-left: 0; white-space: normal; }
  .filters .field, .filters input, .filters select { width: 100%; }
  .details { grid-template-columns: 1fr; }
  .details dt { margin-top: .35rem; }
}
.nav-count { display: inline-block; min-width: 1.4rem; margin-left: .3rem; padding: 0 .4rem; border-radius: 999px; background: #c4b5fd; color: #1e1b4b; font-size: .8rem; font-weight: 700; text-align: center; }
.approval-pending { background: var(--blue-bg); color: var(--blue); }
.approval-executed { background: var(--green-bg); color: var(--green); }
.approval-denied, .approval-failed { background: var(--red-bg); color: var(--red); }
.would-change { font-weight: 600; }
`;
