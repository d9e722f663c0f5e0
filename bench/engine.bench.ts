// Engine speed: throughput (MB/s of note text) over the gold notes repeated to a few MB, and the median time to
// analyse a 10,000-word note. Run with `npm run bench` (or `npx tsx bench/engine.bench.ts`); record the table
// with the machine in bench/RESULTS.md. Stages are timed too, to show where the time goes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';
import { analyzeNote, assignAssertions, parseNote } from '@cancerllm/engine';
import { extractMentions } from '../engine/src/extract/index.ts';

const GOLD_DIR = new URL('../../shared/data/gold/dev/', import.meta.url).pathname;
const TARGET_BYTES = 4 * 1024 * 1024;
const RUNS = 31;

function loadNotes(): string[] {
  return readdirSync(GOLD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => (JSON.parse(readFileSync(join(GOLD_DIR, f), 'utf8')) as { text: string }).text);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A note of about `words` words made of whole gold notes, as one long document. */
function noteOfWords(notes: readonly string[], words: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < words; i++) {
    const note = notes[i % notes.length]!;
    parts.push(note);
    count += note.split(/\s+/).length;
  }
  return parts.join('\n\n');
}

const notes = loadNotes();
const corpus: string[] = [];
let bytes = 0;
while (bytes < TARGET_BYTES) {
  for (const note of notes) {
    corpus.push(note);
    bytes += Buffer.byteLength(note, 'utf8');
  }
}

// Warm up the JIT and the compiled rules on the whole corpus, then keep the best of a few passes: the VM is
// shared, and the best pass is the least disturbed one.
for (const note of corpus) analyzeNote(note);
const PASSES = 3;

function bestOf(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < PASSES; i++) best = Math.min(best, time(fn));
  return best;
}

const whole = bestOf(() => {
  for (const note of corpus) analyzeNote(note);
});
const parsed = corpus.map((note) => parseNote(note));
const extracted = corpus.map((note) => extractMentions(note));
const stage = {
  parse: bestOf(() => {
    for (const note of corpus) parseNote(note);
  }),
  extract: bestOf(() => {
    for (const note of corpus) extractMentions(note);
  }),
  assert: bestOf(() => {
    corpus.forEach((_, i) => assignAssertions(parsed[i]!, extracted[i]!));
  }),
};

// The same engine bundled by esbuild, as dist/server.js and dist/cli.js ship it: no module-boundary getters.
const bundlePath = new URL('./.work/engine.cjs', import.meta.url).pathname;
buildSync({
  entryPoints: [new URL('../engine/src/index.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundlePath,
  logLevel: 'error',
});
const bundled = createRequire(import.meta.url)(bundlePath) as { analyzeNote: typeof analyzeNote };
for (const note of corpus) bundled.analyzeNote(note);
const wholeBundled = bestOf(() => {
  for (const note of corpus) bundled.analyzeNote(note);
});

const big = noteOfWords(notes, 10_000);
/**
 * The big note as a new string object of the same text, as an editor sends it again after each change: timing the
 * one object run after run would hide costs that caches keyed on the note pay for another object of equal text.
 */
const copyOfBig = (): string => Buffer.from(big, 'utf8').toString('utf8');
function timeBigNote(analyze: (text: string) => unknown): number[] {
  for (let i = 0; i < 5; i++) analyze(copyOfBig());
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const copy = copyOfBig();
    times.push(time(() => analyze(copy)));
  }
  return times;
}
const bigTimes = timeBigNote(analyzeNote);
const bigBundled = timeBigNote(bundled.analyzeNote);

const mb = bytes / (1024 * 1024);
const rows: Array<[string, string]> = [
  ['corpus', `${corpus.length} notes, ${mb.toFixed(2)} MB (gold/dev repeated)`],
  [`whole pipeline (best of ${PASSES})`, `${(mb / (whole / 1000)).toFixed(1)} MB/s  (${whole.toFixed(0)} ms)`],
  ['  parse (note/)', `${(mb / (stage.parse / 1000)).toFixed(1)} MB/s  (${stage.parse.toFixed(0)} ms)`],
  ['  extract (extract/)', `${(mb / (stage.extract / 1000)).toFixed(1)} MB/s  (${stage.extract.toFixed(0)} ms)`],
  ['  assertions (assertion/)', `${(mb / (stage.assert / 1000)).toFixed(1)} MB/s  (${stage.assert.toFixed(0)} ms)`],
  [
    `whole pipeline, bundled (best of ${PASSES})`,
    `${(mb / (wholeBundled / 1000)).toFixed(1)} MB/s  (${wholeBundled.toFixed(0)} ms)`,
  ],
  ['10,000-word note', `${big.split(/\s+/).length} words, ${big.length} chars`],
  [`  median of ${RUNS} runs`, `${median(bigTimes).toFixed(2)} ms`],
  ['  min / max', `${Math.min(...bigTimes).toFixed(2)} / ${Math.max(...bigTimes).toFixed(2)} ms`],
  [`  bundled, median of ${RUNS} runs`, `${median(bigBundled).toFixed(2)} ms`],
];
const width = Math.max(...rows.map(([k]) => k.length));
process.stdout.write(
  `engine benchmark — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, single thread\n`,
);
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
