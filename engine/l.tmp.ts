import { readFileSync } from 'node:fs';
import { scanLines } from './src/note/lines.ts';
const d = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
for (const l of scanLines(d.text).slice(0, Number(process.argv[3] ?? 20))) console.log(l.kind, l.continues, JSON.stringify(d.text.slice(l.start, l.end)).slice(0, 80));
