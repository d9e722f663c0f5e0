// Batch jobs with a local model (`npm run bench:llm:cli`), one after another against batched, in one run:
// - `cancerllm generate diagnosis` over 8 notes with --batch 1 and --batch 8 (the built CLI; same drafts required);
// - model extraction of the same notes' sections (what `annotate --backend onnx` and the editor's LLM analyzer run):
//   CancerLLM's 17 questions per section asked one at a time (a model that cannot batch) and as one batch whose
//   shared section text runs once.
// The mid-size random model of bench/llm-models.ts (genai layout, fp32, CPU); the notes are the first 8 gold dev
// notes cut to about 1,000 characters (the random model's tokenizer writes ~2 characters a token, and its context
// is 2 k tokens). Work files are cached in bench/.work/llm-cli.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '@cancerllm/model-runtime';
import { parseNote } from '@cancerllm/engine';
import { LocalModel } from '../server/src/llm/local-model.ts';
import { PromptLibrary } from '../server/src/llm/prompts.ts';
import { extractSection, type SectionExtraction } from '../server/src/llm/section-extraction.ts';
import type { TextModel } from '../server/src/llm/text-model.ts';
import { BENCH_MODELS } from './llm-models.ts';

const root = join(import.meta.dirname, '..');
const work = join(root, 'bench', '.work', 'llm-cli');
const cli = join(root, 'dist', 'cli.js');
const gold = join(root, '..', 'shared', 'data', 'gold', 'dev');
const NOTES = 8;
const NOTE_CHARS = 1000;
/** Drafts are long: decoding, where batching pays, is most of their time. */
const NEW_TOKENS = 128;

function modelFolder(): string {
  const mid = BENCH_MODELS.find((m) => m.name.startsWith('mid'));
  if (!mid) throw new Error('bench/llm-models.ts has no mid-size model');
  const dir = join(work, 'mid-genai-fp32');
  if (!existsSync(join(dir, 'tokenizer_config.json'))) {
    const built = buildModel({ outDir: dir, source: { kind: 'random', shape: mid.shape, seed: 3 }, layout: 'genai', weights: 'fp32' });
    if (!built.ok) throw new Error(built.message);
  }
  return dir;
}

/** The first NOTES gold notes, each cut at the last line break before NOTE_CHARS characters. */
function noteFolder(): string {
  const dir = join(work, 'notes');
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(gold).filter((f) => f.endsWith('.json')).sort().slice(0, NOTES);
  for (const file of files) {
    const text = (JSON.parse(readFileSync(join(gold, file), 'utf8')) as { text: string }).text;
    const cut = text.lastIndexOf('\n', NOTE_CHARS);
    writeFileSync(join(dir, file.replace(/\.json$/, '.note')), text.slice(0, cut > 0 ? cut : NOTE_CHARS));
  }
  return dir;
}

function timed(args: string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, ...args, '--quiet'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`cancerllm ${args.join(' ')} exited ${String(run.status)}: ${run.stderr}`);
  return { seconds, stdout: run.stdout };
}

if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
const model = modelFolder();
const notes = noteFolder();
console.log(
  `# ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} threads, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at start`,
);
console.log(`# mid 8×1024 genai fp32 on CPU; ${NOTES} notes of ≤ ${NOTE_CHARS} characters; wall time of the whole command`);
const generate = (batch: number) =>
  timed(['generate', 'diagnosis', notes, '--model', model, '--max-new-tokens', String(NEW_TOKENS), '--batch', String(batch)]);
const alone = generate(1);
const batched = generate(NOTES);
if (alone.stdout !== batched.stdout) throw new Error('generate --batch wrote other drafts than one note at a time');
const extraction = await extractionTimes();
if (!extraction.same) throw new Error('batched extraction found other mentions than one question at a time');
console.log('| job | one after another s | batched s | speed-up | same output |');
console.log('|---|---:|---:|---:|---|');
console.log(
  `| generate diagnosis, ${NOTES} notes, ${NEW_TOKENS} new tokens (CLI, --batch 1 / --batch ${NOTES}) | ${alone.seconds.toFixed(1)} | ${batched.seconds.toFixed(1)} | ${(alone.seconds / batched.seconds).toFixed(2)}× | yes |`,
);
console.log(
  `| extraction, ${extraction.sections} sections × 17 questions (in process) | ${extraction.alone.toFixed(1)} | ${extraction.batched.toFixed(1)} | ${(extraction.alone / extraction.batched).toFixed(2)}× | yes |`,
);

/** Seconds to extract every level-1 section of the notes, question by question and batched, and whether both agree. */
async function extractionTimes(): Promise<{ sections: number; alone: number; batched: number; same: boolean }> {
  const library = new PromptLibrary().get('');
  if (!library.ok) throw new Error(library.message);
  const opened = await LocalModel.open(model, { executionProvider: 'cpu' });
  if (!opened.ok) throw new Error(opened.message);
  const local = opened.model;
  // the same model without completeAll: extractSection asks its questions one at a time
  const oneByOne: TextModel = { name: local.name, complete: local.complete.bind(local), dispose: async () => {} };
  const texts = readdirSync(notes).sort().map((f) => readFileSync(join(notes, f), 'utf8'));
  const sections = texts.flatMap((text) => {
    const level1 = parseNote(text).sections.filter((s) => s.level === 1 && s.end > s.start);
    return (level1.length > 0 ? level1 : [{ start: 0, end: text.length }]).map((s) => ({ text, start: s.start, end: s.end }));
  });
  const run = async (m: TextModel): Promise<{ seconds: number; found: SectionExtraction[] }> => {
    const started = performance.now();
    const found: SectionExtraction[] = [];
    for (const s of sections)
      found.push(await extractSection(m, library.prompts, 'alpaca', s.text, s, new AbortController().signal));
    return { seconds: (performance.now() - started) / 1000, found };
  };
  try {
    const alone = await run(oneByOne);
    const batched = await run(local);
    const same = JSON.stringify(alone.found) === JSON.stringify(batched.found);
    return { sections: sections.length, alone: alone.seconds, batched: batched.seconds, same };
  } finally {
    await local.dispose();
  }
}
