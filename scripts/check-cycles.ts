import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm run check:cycles`: fails when modules of the given folders import each
 * other in a circle, type-only imports included (a type cycle is still two
 * modules that cannot be understood apart), or when a module of src imports a
 * folder the layering rules (LAYER_RULES) keep it from. Relative imports only;
 * packages cannot take part in a cycle of ours.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDERS = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'odoo-standin', 'scripts', 'bench'];
const EXTENSIONS = ['.ts', '.tsx'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (EXTENSIONS.some((extension) => name.endsWith(extension)) && !name.endsWith('.d.ts')) found.push(full);
    }
  };
  if (existsSync(folder)) walk(folder);
  return found;
}

function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [base, ...EXTENSIONS.map((extension) => base + extension), ...EXTENSIONS.map((extension) => path.join(base, `index${extension}`))]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const known = new Set(files);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(file, (match[1] ?? match[2] ?? match[3])!);
      if (target && known.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * Which folder of src may not import which. A module's folder is the first
 * folder under src (src/console/views/done.tsx is in src/console); modules
 * directly in src (app.ts, index.ts) compose the Worker and may import any.
 * `from: 'src/*'` stands for every folder of src but `to` itself. The first
 * rule matching an import decides, so a narrower rule goes before a wider one.
 */
export interface LayerRule {
  from: string;
  to: string;
  /** Modules of `to` that `from` may import all the same. */
  unless?: RegExp;
  why: string;
}

export const LAYER_RULES: readonly LayerRule[] = [
  {
    from: 'src/console',
    to: 'src/admin',
    unless: /^src\/admin\/[^/]+-schemas\.ts$/,
    why: "the console is a client of the admin API: it may import the API's contract (src/admin/*-schemas.ts), nothing else",
  },
  {
    from: 'src/*',
    to: 'src/admin',
    why: 'src/admin is the admin HTTP API (routes, schemas, presenters); what it serves lives in src/connections, src/accounts, src/audit and the like',
  },
  ...['src/console', 'src/cron', 'src/mcp', 'src/oauth'].map((to) => ({
    from: 'src/connections',
    to,
    why: 'connections sit below the parts that use them: the console, cron, mcp and oauth import src/connections, never the other way round',
  })),
];

/** The folder of src a module belongs to ('src' for one directly in it), or null outside src. */
export function folderOf(relativeFile: string): string | null {
  const parts = relativeFile.split(path.sep).join('/').split('/');
  if (parts[0] !== 'src') return null;
  return parts.length > 2 ? `src/${parts[1]}` : 'src';
}

function ruleFor(rules: readonly LayerRule[], from: string, to: string): LayerRule | undefined {
  if (from === 'src' || from === to) return undefined;
  return rules.find((rule) => rule.to === to && (rule.from === from || (rule.from === 'src/*' && from.startsWith('src/'))));
}

/** One line per import the rules forbid, naming the importing module, the imported one and the rule. */
export function layeringViolations(graph: ReadonlyMap<string, readonly string[]>, root: string, rules: readonly LayerRule[] = LAYER_RULES): string[] {
  const found: string[] = [];
  for (const [file, targets] of [...graph.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const relativeFile = path.relative(root, file);
    const from = folderOf(relativeFile);
    if (!from) continue;
    for (const target of targets) {
      const relativeTarget = path.relative(root, target);
      const to = folderOf(relativeTarget);
      if (!to) continue;
      const rule = ruleFor(rules, from, to);
      if (!rule || rule.unless?.test(relativeTarget.split(path.sep).join('/'))) continue;
      found.push(`${relativeFile} imports ${relativeTarget}: ${from} may not depend on ${to} (${rule.why})`);
    }
  }
  return found;
}

/** For each folder of src, how many of its imports go to each other folder (imports within a folder are not counted). */
export function folderGraph(graph: ReadonlyMap<string, readonly string[]>, root: string): Map<string, { modules: number; imports: Map<string, number> }> {
  const folders = new Map<string, { modules: number; imports: Map<string, number> }>();
  const entry = (folder: string) => {
    let found = folders.get(folder);
    if (!found) folders.set(folder, (found = { modules: 0, imports: new Map() }));
    return found;
  };
  for (const [file, targets] of graph) {
    const from = folderOf(path.relative(root, file));
    if (!from) continue;
    const node = entry(from);
    node.modules += 1;
    for (const target of targets) {
      const to = folderOf(path.relative(root, target));
      if (to && to !== from) node.imports.set(to, (node.imports.get(to) ?? 0) + 1);
    }
  }
  return new Map([...folders.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The folder graph as text: one line per folder, what it imports (with counts), then what imports it. */
export function describeFolderGraph(folders: ReadonlyMap<string, { modules: number; imports: ReadonlyMap<string, number> }>): string {
  const short = (folder: string) => (folder === 'src' ? 'src (root)' : folder.replace(/^src\//, ''));
  const importedBy = new Map<string, string[]>();
  for (const [from, { imports }] of folders) {
    for (const to of imports.keys()) importedBy.set(to, [...(importedBy.get(to) ?? []), short(from)]);
  }
  const lines = [`${folders.size} folders of src; "-> b (n)": n imports from this folder's modules into folder b; "<-": the folders importing this one`];
  for (const [folder, { modules, imports }] of folders) {
    const out = [...imports.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([to, count]) => `${short(to)} (${count})`);
    lines.push(`${short(folder)}: ${modules} module${modules === 1 ? '' : 's'}`);
    lines.push(`  -> ${out.length ? out.join(', ') : '-'}`);
    lines.push(`  <- ${(importedBy.get(folder) ?? []).sort().join(', ') || '-'}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = FOLDERS.flatMap((folder) => sourceFiles(path.resolve(ROOT, folder)));
  const graph = importGraph(files);
  const found = cycles(graph);
  const violations = layeringViolations(graph, ROOT);
  if (found.length === 0) {
    console.log(`no import cycles in ${files.length} modules (${FOLDERS.join(', ')})`);
  } else {
    console.error(`${found.length} import cycle${found.length === 1 ? '' : 's'}:`);
    for (const component of found) console.error(`  ${component.map((file) => path.relative(ROOT, file)).join(' <-> ')}`);
  }
  if (violations.length === 0) {
    const rules = LAYER_RULES.map((rule) => `${rule.from} -/-> ${rule.to}${rule.unless ? ` (but ${rule.unless.source})` : ''}`);
    console.log(`no imports across the ${LAYER_RULES.length} layering rules: ${rules.join('; ')}`);
  } else {
    console.error(`${violations.length} import${violations.length === 1 ? '' : 's'} across the layering rules:`);
    for (const violation of violations) console.error(`  ${violation}`);
  }
  if (found.length > 0 || violations.length > 0) process.exit(1);
}
