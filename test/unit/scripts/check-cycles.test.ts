import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cycles, describeFolderGraph, folderGraph, importGraph, layeringViolations, type LayerRule } from '../../../scripts/check-cycles';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cycles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return Object.keys(files).map((name) => path.join(dir, name));
}

/** A small src tree, and the folder it lives in (what the rules' paths are relative to). */
async function layeredProject(files: Record<string, string>): Promise<{ root: string; graph: Map<string, string[]> }> {
  const paths = await project(files);
  const root = paths[0]!.slice(0, paths[0]!.length - Object.keys(files)[0]!.length - 1);
  return { root, graph: importGraph(paths) };
}

const names = (found: string[][]) => found.map((component) => component.map((file) => path.basename(file)));

describe('the import cycle check', () => {
  it('finds a cycle made of type-only imports and re-exports, and names its modules', async () => {
    const files = await project({
      'scope.ts': "import { DAYS } from './time-window';\nexport { summarize } from './summary';\nexport type Scope = { days: typeof DAYS };\n",
      'summary.ts': "import type { Scope } from './scope';\nexport const summarize = (scope: Scope) => scope.days.length;\n",
      'time-window.ts': "export const DAYS = ['mon'];\n",
    });
    expect(names(cycles(importGraph(files)))).toEqual([['scope.ts', 'summary.ts']]);
  });

  it('follows multi-line imports and index files, and passes a graph without cycles', async () => {
    const files = await project({
      'a.ts': "import {\n  b,\n} from './b.js';\nexport const a = b;\n",
      'b.ts': "export const b = 1;\n",
      'c.ts': "import { a } from './a';\nimport './b';\nexport const c = a;\n",
    });
    expect(cycles(importGraph(files))).toEqual([]);
    const looped = await project({ 'x.ts': "import { y } from './y';\nexport const x = y;\n", 'y.ts': "export const y = () => import('./x');\n" });
    expect(names(cycles(importGraph(looped)))).toEqual([['x.ts', 'y.ts']]);
  });
});

describe('the layering rules', () => {
  const rules: LayerRule[] = [
    { from: 'src/console', to: 'src/admin', unless: /^src\/admin\/[^/]+-schemas\.ts$/, why: 'the console is a client of the API' },
    { from: 'src/*', to: 'src/admin', why: 'admin is HTTP only' },
  ];

  it('names the importing module of each forbidden import, and lets the composition root, the admin folder itself and the exception through', async () => {
    const { root, graph } = await layeredProject({
      'src/app.ts': "import { routes } from './admin/routes';\nexport const app = routes;\n",
      'src/admin/routes.ts': "import { rule } from '../connections/status';\nimport { shape } from './connection-schemas';\nexport const routes = [rule, shape];\n",
      'src/admin/connection-schemas.ts': 'export const shape = 1;\n',
      'src/admin/present.ts': 'export const present = 1;\n',
      'src/connections/status.ts': 'export const rule = 1;\n',
      'src/console/views/page.tsx': "import type { shape } from '../../admin/connection-schemas';\nimport { present } from '../../admin/present';\nexport const page = [present] as unknown as typeof shape;\n",
      'src/cron/scheduled.ts': "import { present } from '../admin/present';\nexport const run = present;\n",
    });
    expect(layeringViolations(graph, root, rules)).toEqual([
      'src/console/views/page.tsx imports src/admin/present.ts: src/console may not depend on src/admin (the console is a client of the API)',
      'src/cron/scheduled.ts imports src/admin/present.ts: src/cron may not depend on src/admin (admin is HTTP only)',
    ]);
  });

  it('passes a tree that keeps to them', async () => {
    const { root, graph } = await layeredProject({
      'src/admin/routes.ts': "import { rule } from '../connections/status';\nexport const routes = rule;\n",
      'src/connections/status.ts': 'export const rule = 1;\n',
      'src/cron/scheduled.ts': "import { rule } from '../connections/status';\nexport const run = rule;\n",
    });
    expect(layeringViolations(graph, root, rules)).toEqual([]);
  });

  it('counts the imports between folders, not within one, and prints who imports whom', async () => {
    const { root, graph } = await layeredProject({
      'src/app.ts': "import { routes } from './admin/routes';\nexport const app = routes;\n",
      'src/admin/routes.ts': "import { rule } from '../connections/status';\nimport { store } from '../connections/store';\nimport { present } from './present';\nexport const routes = [rule, store, present];\n",
      'src/admin/present.ts': "import { rule } from '../connections/status';\nexport const present = rule;\n",
      'src/connections/status.ts': 'export const rule = 1;\n',
      'src/connections/store.ts': "import { rule } from './status';\nexport const store = rule;\n",
    });
    const folders = folderGraph(graph, root);
    expect([...folders.entries()].map(([folder, { modules, imports }]) => [folder, modules, Object.fromEntries(imports)])).toEqual([
      ['src', 1, { 'src/admin': 1 }],
      ['src/admin', 2, { 'src/connections': 3 }],
      ['src/connections', 2, {}],
    ]);
    expect(describeFolderGraph(folders).split('\n')).toEqual([
      '3 folders of src; "-> b (n)": n imports from this folder\'s modules into folder b; "<-": the folders importing this one',
      'src (root): 1 module',
      '  -> admin (1)',
      '  <- -',
      'admin: 2 modules',
      '  -> connections (3)',
      '  <- src (root)',
      'connections: 2 modules',
      '  -> -',
      '  <- admin',
    ]);
  });
});
