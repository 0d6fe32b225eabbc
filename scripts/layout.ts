import path from 'node:path';
import { describeFolderGraph, folderGraph, importGraph, sourceFiles } from './check-cycles';

/**
 * `npm run layout`: which folder of src imports which, with counts, from the
 * same import graph `npm run check:cycles` checks.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const files = sourceFiles(path.resolve(ROOT, 'src'));
console.log(describeFolderGraph(folderGraph(importGraph(files), ROOT)));
