import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cycles, importGraph } from '../../../scripts/check-cycles';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cycles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return Object.keys(files).map((name) => path.join(dir, name));
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
