import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/report';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/** Runs `npm run bench -- --smoke` as a user would; it proves the benchmark still works and never looks at a timing. */
describe('npm run bench -- --smoke', () => {
  let dir: string;
  let stdout: string;
  let report: BenchReport;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'odoo-mcp-gateway-bench-smoke-'));
    const json = path.join(dir, 'bench.json');
    ({ stdout } = await promisify(execFile)(path.join(BIN, 'tsx'), ['bench/run.ts', '--smoke', '--json', json], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 420_000,
    }));
    report = JSON.parse(await readFile(json, 'utf8')) as BenchReport;
  }, 450_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the README table with a row for each of the seven figures and the machine it ran on', () => {
    for (const figure of ['1', '2', '3', '4', '5', '6', '7']) expect(stdout).toMatch(new RegExp(`^\\| ${figure} \\| `, 'm'));
    expect(stdout).toMatch(/^Machine: .+ \d+ cores, [\d.]+ GiB memory; .+; node v\d+\.\d+\.\d+; wrangler \d+\.\d+\.\d+\./m);
    expect(stdout).toContain('Command: `npm run bench -- --smoke --json ');
  });

  it('measures the gateway and Odoo on every path of figure 1 without a failed call', () => {
    expect(report.figures.latency.status).toBe('measured');
    if (report.figures.latency.status !== 'measured') return;
    expect(report.figures.latency.value.map((row) => row.concurrency)).toEqual([1, 16]);
    for (const row of report.figures.latency.value) {
      for (const path of [row.odoo, row.gateway, row.stateless]) {
        expect(path.n).toBeGreaterThan(0);
        expect(path.failures).toBe(0);
      }
    }
  });

  it('reads the Worker process CPU time for figure 2', () => {
    expect(report.target.workerSocket).toBe(true);
    expect(report.figures.throughput.status).toBe('measured');
    if (report.figures.throughput.status !== 'measured') return;
    expect(report.figures.throughput.value.cpuSource).toBe('worker');
    expect(report.figures.throughput.value.cpuChunks).toBeGreaterThan(0);
  });

  it("measures the Worker's own CPU per call with every binding answered from memory, and with the local ones", () => {
    const figure = report.figures.ownCpu;
    expect(figure.status).toBe('measured');
    if (figure.status !== 'measured') return;
    expect(figure.value.chunks).toBe(report.options.calls / report.options.ownCpuChunk);
    expect(figure.value.recordedAnswers).toBeGreaterThanOrEqual(2);
    expect([figure.value.medianMs, figure.value.withLocalD1.medianMs, figure.value.withLocalBindings.medianMs].every(Number.isFinite)).toBe(true);
    expect(stdout).toMatch(/^\| 2 \| The Worker's own CPU per `tools\/call`, bindings answered from memory \| /m);
  });

  it("measures the stateless call's own CPU beside the session call's", () => {
    const figure = report.figures.ownCpu;
    expect(figure.status).toBe('measured');
    if (figure.status !== 'measured') return;
    const { stateless } = figure.value;
    expect(stateless.chunks).toBe(report.options.calls / report.options.ownCpuChunk);
    expect(stateless.recordedAnswers).toBeGreaterThanOrEqual(2);
    expect([stateless.medianMs, stateless.withLocalD1.medianMs, stateless.withLocalBindings.medianMs].every(Number.isFinite)).toBe(true);
    expect(stdout).toMatch(/^\| 2 \| The Worker's own CPU per `tools\/call`, stateless \(2026-07-28\), bindings answered from memory \| .+ \(in a session: /m);
  });

  it('verifies keys with the bench connections only, then with the table filled to --list-connections and --keys', () => {
    expect(report.figures.keyLookup.status).toBe('measured');
    if (report.figures.keyLookup.status !== 'measured') return;
    const stages = report.figures.keyLookup.value.stages;
    expect(stages.map((stage) => stage.connections)).toEqual([2, report.options.listConnections, report.options.keys]);
    for (const stage of stages) {
      expect(stage.n).toBeGreaterThan(0);
      expect(stage.failures).toBe(0);
    }
  });

  it('walks the whole admin list, or says that the route is not there', () => {
    const figure = report.figures.adminList;
    expect(['measured', 'unavailable']).toContain(figure.status);
    if (figure.status !== 'measured') return;
    expect(figure.value.walk.complete).toBe(true);
    expect(figure.value.walk.items).toBe(report.options.listConnections);
    expect(figure.value.walk.distinctIds).toBe(report.options.listConnections);
  });

  it('times the usage query of list pages over the seeded audit rows', () => {
    const figure = report.figures.usageList;
    expect(figure.status).toBe('measured');
    if (figure.status !== 'measured') return;
    expect(figure.value.auditRows).toBe(report.options.auditRows);
    expect(figure.value.pageSize).toBe(50);
    expect(figure.value.pages).toBeGreaterThan(0);
    expect(Number.isFinite(figure.value.perPage.p50)).toBe(true);
  });

  it('measures the bundle and the start-up profile', () => {
    expect(report.figures.bundle.status).toBe('measured');
    if (report.figures.bundle.status !== 'measured') return;
    expect(report.figures.bundle.value.files).toContain('index.js');
    expect(report.figures.bundle.value.gzipBytes).toBeLessThan(report.figures.bundle.value.rawBytes);
    expect(report.figures.bundle.value.startup.runs).toBe(1);
  });

  it('counts one request to Odoo per tool call (two for writes, which check their values against fields_get), and one more for a call by id under a record domain', () => {
    expect(report.figures.odooCalls.status).toBe('measured');
    if (report.figures.odooCalls.status !== 'measured') return;
    const rows = report.figures.odooCalls.value;
    expect(rows.filter((row) => row.error !== null)).toEqual([]);
    const plain = rows.filter((row) => row.scope === 'full' && row.expected === 1);
    expect(new Set(plain.map((row) => row.tool))).toEqual(
      new Set(['search_records', 'count_records', 'read_records', 'delete_records', 'call_method', 'list_models', 'describe_model', 'aggregate_records']),
    );
    for (const row of plain) expect([row.tool, row.odooCalls]).toEqual([row.tool, 1]);
    const writes = rows.filter((row) => row.scope === 'full' && (row.tool === 'create_records' || row.tool === 'update_records'));
    expect(writes.map((row) => [row.tool, row.odooCalls, row.odooMethods[0]])).toEqual([
      ['create_records', 2, 'crm.lead.fields_get'],
      ['update_records', 2, 'crm.lead.fields_get'],
    ]);
    const byIdUnderDomain = rows.filter((row) => row.scope === 'record domain' && row.tool !== 'create_records' && row.tool !== 'search_records');
    expect(byIdUnderDomain.map((row) => [row.tool, row.odooMethods[0]])).toEqual([
      ['read_records', 'res.partner.search'],
      ['update_records', 'res.partner.search'],
      ['call_method', 'res.partner.search'],
      ['delete_records', 'res.partner.search'],
    ]);
    for (const row of byIdUnderDomain) expect([row.tool, row.odooCalls]).toEqual([row.tool, row.tool === 'update_records' ? 3 : 2]);
  });
});
