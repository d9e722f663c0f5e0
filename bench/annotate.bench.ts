// Batch annotation throughput: `cancerllm annotate` over a corpus of 10,000 generated notes, with 1 and 2 worker
// threads. Run: npm run build && npm run bench:annotate. The corpus (bench/.work/, git-ignored) is made from the
// samples and the gold notes, shuffled sentence by sentence with a fixed seed, so every run sees the same notes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { prng, seedNotes } from '../test/fuzz/generators.ts';

const NOTES = 10_000;
const root = join(import.meta.dirname, '..');
const corpus = join(root, 'bench', '.work', 'corpus');

function makeCorpus(): number {
  if (existsSync(corpus) && readdirSync(corpus).length === NOTES) return bytesOf();
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  const random = prng(7);
  const lines = seedNotes().flatMap((note) => note.split('\n'));
  for (let i = 0; i < NOTES; i++) {
    const count = 20 + Math.floor(random() * 40);
    const body = Array.from({ length: count }, () => lines[Math.floor(random() * lines.length)]).join('\n');
    writeFileSync(join(corpus, `note-${String(i).padStart(5, '0')}.note`), body);
  }
  return bytesOf();
}

function bytesOf(): number {
  return readdirSync(corpus).reduce((sum, name) => sum + readFileSync(join(corpus, name)).length, 0);
}

const bytes = makeCorpus();
console.log(
  `corpus: ${NOTES} notes, ${(bytes / 1024 / 1024).toFixed(1)} MB; machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
);
console.log('| workers | seconds | notes/s | MB/s | speed-up |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
let baseline = 0;
for (const workers of [1, 2]) {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [join(root, 'dist', 'cli.js'), 'annotate', '--workers', String(workers), '--quiet', corpus],
    { maxBuffer: 1 << 30 },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`annotate failed: ${run.stderr.toString().slice(-500)}`);
  const lines = run.stdout.toString().trim().split('\n').length;
  if (lines !== NOTES) throw new Error(`expected ${NOTES} JSON lines, got ${lines}`);
  if (workers === 1) baseline = seconds;
  console.log(
    `| ${workers} | ${seconds.toFixed(1)} | ${(NOTES / seconds).toFixed(0)} | ${(bytes / 1024 / 1024 / seconds).toFixed(1)} | ${(baseline / seconds).toFixed(2)}× |`,
  );
}
