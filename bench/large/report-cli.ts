// `node bench/large/run.mjs --report`: rewrites RESULTS.md's large-history section from
// bench/large/results.json, e.g. after editing bench/large/analysis.md.
import fs from 'node:fs';
import path from 'node:path';
import { writeReport, type LargeResults } from './report.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
writeReport(root, JSON.parse(fs.readFileSync(path.join(root, 'bench', 'large', 'results.json'), 'utf8')) as LargeResults);
console.log('wrote the large-history section of bench/RESULTS.md');
