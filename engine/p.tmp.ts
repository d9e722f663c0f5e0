import { readFileSync } from 'node:fs';
import { parseNote } from './src/note/index.ts';
const d = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const n = parseNote(d.text);
for (const s of n.sections) console.log(`${s.level === 1 ? '##' : '  --'} [${s.kind}] ${JSON.stringify(s.title)} ${s.start}-${s.end}`);
if (process.argv[3]) for (const s of n.sentences) console.log(`${s.sectionIndex}| ${JSON.stringify(d.text.slice(s.start, s.end))}`);
