// LLM runtime benchmark (`npm run bench:llm`): prefill tokens/s, decode ms/token and peak memory of
// @cancerllm/model-runtime on CPU for a tiny and a mid-size Mistral-shaped model with random weights, next to
// @huggingface/transformers on the same model folder (bench/llm-peer, its own node_modules), and the bandwidth
// floor: weight bytes / measured memory bandwidth. Each run is a separate process so peak RSS is its own.
// Options: --quick (tiny model only), --no-peer, --constraint (only the constrained-decoding table: the cost of
// the JSON token filter per step, alone and inside greedy decoding). Model folders are cached in bench/.work/llm.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  DecodeLoop,
  Decoder,
  JsonConstraint,
  TokenVocabulary,
  buildModel,
  generate,
  parseModelFolder,
  writeDecodeLoopModel,
  type GenerationParams,
  type JsonSchema,
  type ModelShape,
} from '@cancerllm/model-runtime';
import { BENCH_MODELS, shapeOf } from './llm-models.ts';
import { MENTION_LIST_SCHEMA } from '../server/src/llm/section-extraction.ts';

const root = new URL('..', import.meta.url).pathname;
const work = join(root, 'bench', '.work', 'llm');
const PROMPT = 256;
const NEW_TOKENS = 32;
/** Measured runs per configuration after a warm-up; the table shows medians (the VM is shared and noisy). */
const REPEATS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

interface RunResult {
  loadMs: number;
  prefillMs: number;
  decodeMsPerToken: number;
  peakRssMb: number;
  tokens: number[];
}

const MODELS = BENCH_MODELS;

function promptTokens(vocab: number): number[] {
  return Array.from({ length: PROMPT }, (_, i) => 5 + ((i * 7919) % (vocab - 5)));
}

/** Peak resident memory of this process image (VmHWM; unlike maxRSS it does not carry over across exec). */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

type TimedRun = (maxNewTokens: number) => Promise<{ ms: number; tokens: number[] }>;

/**
 * The same method for every runtime (the peer can only be timed from outside its generate()): a 1-token run
 * (prefill) and a NEW_TOKENS run back to back, so both see the same machine load; decode ms/token is
 * (full − prefill) / (NEW_TOKENS − 1); medians over REPEATS pairs after a warm-up.
 */
async function measure(once: TimedRun): Promise<Pick<RunResult, 'prefillMs' | 'decodeMsPerToken' | 'tokens'>> {
  await once(2);
  const pairs: { prefill: number; full: { ms: number; tokens: number[] } }[] = [];
  for (let i = 0; i < REPEATS; i++) pairs.push({ prefill: (await once(1)).ms, full: await once(NEW_TOKENS) });
  return {
    prefillMs: median(pairs.map((p) => p.prefill)),
    decodeMsPerToken: median(pairs.map((p) => (p.full.ms - p.prefill) / (NEW_TOKENS - 1))),
    tokens: pairs[0]?.full.tokens ?? [],
  };
}

/** Child mode: one model, our runtime (Generator, one run() per token), in this process. */
async function runOurs(dir: string): Promise<RunResult> {
  const loadStart = performance.now();
  const loaded = await Decoder.load(dir, { executionProvider: 'cpu' });
  if (!loaded.ok) throw new Error(loaded.problem.message);
  const loadMs = performance.now() - loadStart;
  const decoder = loaded.decoder;
  const prompt = promptTokens(decoder.folder.vocabSize);
  const result = await measure(async (maxNewTokens) => {
    const t = performance.now();
    const tokens: number[] = [];
    for await (const c of generate(decoder, prompt, { maxNewTokens, stopTokenIds: [] })) tokens.push(c.token);
    return { ms: performance.now() - t, tokens };
  });
  await decoder.dispose();
  return { loadMs, ...result, peakRssMb: peakRssMb() };
}

/** Child mode: one model, greedy through the decode-loop model (one run() per chunk of 16 tokens). */
async function runLoop(dir: string): Promise<RunResult> {
  const parsed = await parseModelFolder(dir);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const loopPath = await writeDecodeLoopModel(parsed.folder);
  const loadStart = performance.now();
  const loop = await DecodeLoop.open(parsed.folder, loopPath, { executionProvider: 'cpu' });
  const loadMs = performance.now() - loadStart;
  const prompt = promptTokens(parsed.folder.vocabSize);
  const result = await measure(async (maxNewTokens) => {
    const t = performance.now();
    const tokens: number[] = [];
    for await (const c of loop.generate(prompt, { maxNewTokens, chunkSize: 16, stopTokenIds: [] }))
      tokens.push(c.token);
    return { ms: performance.now() - t, tokens };
  });
  await loop.dispose();
  return { loadMs, ...result, peakRssMb: peakRssMb() };
}

/** Memory bandwidth as bytes read + written per second by a large typed-array copy (best of 10: capability, not load). */
function measureBandwidth(): number {
  const n = 256 * 1024 * 1024;
  const a = new Uint8Array(n).fill(1);
  const b = new Uint8Array(n);
  let best = Infinity;
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    b.set(a);
    best = Math.min(best, performance.now() - t);
  }
  return (2 * n) / (best / 1000);
}

function child(args: string[]): RunResult | string {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as RunResult;
  } catch {
    return `failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  }
}

function ensureModel(
  name: string,
  shape: ModelShape,
  layout: 'genai' | 'optimum',
  weights: 'fp32' | 'int4',
): { dir: string; buildS?: number } {
  const dir = join(work, `${name.replace(/[^a-z0-9]+/gi, '-')}-${layout}-${weights}`);
  if (existsSync(join(dir, 'tokenizer_config.json'))) return { dir };
  const t = performance.now();
  const r = buildModel({ outDir: dir, source: { kind: 'random', shape, seed: 1234 }, layout, weights });
  if (!r.ok) throw new Error(r.message);
  return { dir, buildS: (performance.now() - t) / 1000 };
}

/** The phenotype-json answer shape, exactly as the server asks the local model for it. */
const MENTIONS: JsonSchema = MENTION_LIST_SCHEMA;

/**
 * A 32 000-token vocabulary shaped like a SentencePiece one (the random models' own has ~31 500 "<filler_i>"
 * tokens): 256 byte tokens (ASCII as characters; bytes ≥ 0x80 are not whole characters and are left out),
 * 1 500 CJK characters (Mistral's root fan-out), then the words of the TCGA reports with and without "▁" and
 * their prefixes and suffixes, most frequent first.
 */
function sentencePieceLikeTexts(): (string | undefined)[] {
  const file = join(root, '..', 'shared', 'data', 'tcga-t14', 'T14_test.csv');
  const corpus = existsSync(file) ? readFileSync(file, 'utf8') : 'Invasive ductal carcinoma, ER positive (95%).';
  const counts = new Map<string, number>();
  for (const w of corpus.match(/[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9]+/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const texts: (string | undefined)[] = [undefined, undefined, undefined]; // <unk> <s> </s>
  for (let b = 0; b < 256; b++) texts.push(b < 128 ? String.fromCharCode(b) : undefined);
  const seen = new Set<string>();
  const add = (t: string): void => {
    if (!t || seen.has(t) || texts.length >= 32000) return;
    seen.add(t);
    texts.push(t);
  };
  for (let i = 0; i < 1500; i++) add(String.fromCharCode(0x4e00 + i));
  for (let i = 0; texts.length < 32000; i++) {
    const w = words[i % words.length] ?? 'x';
    if (i >= words.length) add(` ${w}${i}`); // a small corpus runs out of words
    add(` ${w}`);
    add(w);
    for (let n = 2; n < Math.min(7, w.length); n++) {
      add(w.slice(0, n));
      add(w.slice(-n));
    }
  }
  return texts;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Token filter ms per step over 20 walks through the mention schema (random logits, argmax), split by state. */
function filterSteps(vocabulary: TokenVocabulary): { inString: number[]; between: number[] } {
  const inString: number[] = [];
  const between: number[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    let state = seed;
    const random = (): number => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * 4;
    const c = JsonConstraint.create({ kind: 'json', schema: MENTIONS }, vocabulary, [2]);
    const logits = new Float32Array(vocabulary.size);
    for (let step = 0; step < 300 && !c.complete; step++) {
      for (let i = 0; i < logits.length; i++) logits[i] = random();
      const t = performance.now();
      const masked = c.mask(logits, 300 - step);
      const ms = performance.now() - t;
      let best = 0;
      let allowed = 0;
      for (let i = 0; i < masked.length; i++) {
        if (masked[i] === -Infinity) continue;
        allowed++;
        if ((masked[i] ?? -Infinity) > (masked[best] ?? -Infinity)) best = i;
      }
      // inside a string most of the vocabulary is allowed; between JSON tokens a handful
      (allowed > 1000 ? inString : between).push(ms);
      c.accept(best);
    }
  }
  return { inString, between };
}

/**
 * The JSON token filter per step on a SentencePiece-like vocabulary and on the tiny model's own (mostly
 * "<filler_i>"), and the median greedy decode step of the tiny model free and constrained (runs interleaved, so
 * both see the same machine load).
 */
async function constraintOverhead(): Promise<void> {
  const texts = sentencePieceLikeTexts();
  const buildStart = performance.now();
  const synthetic = new TokenVocabulary(texts);
  const buildMs = performance.now() - buildStart;
  const { dir } = ensureModel(MODELS[0]?.name ?? 'tiny', MODELS[0]?.shape ?? shapeOf(4, 256, 896), 'genai', 'fp32');
  const loaded = await Decoder.load(dir, { executionProvider: 'cpu' });
  if (!loaded.ok) throw new Error(loaded.problem.message);
  const decoder = loaded.decoder;
  const indexStart = performance.now();
  const own = TokenVocabulary.fromTokenizer(decoder.folder.tokenizer);
  const indexMs = performance.now() - indexStart;

  console.log('');
  console.log(
    '## Constrained decoding (JSON mention schema: array of {type: 17-value enum, text ≤ 200, assertion: 6-value enum})',
  );
  console.log('');
  console.log('| token filter (mask one step) | vocabulary | steps | median ms | p95 ms |');
  console.log('|---|---:|---:|---:|---:|');
  const row = (what: string, size: number, ms: readonly number[]): void =>
    console.log(
      `| ${what} | ${size} | ${ms.length} | ${percentile(ms, 0.5).toFixed(3)} | ${percentile(ms, 0.95).toFixed(3)} |`,
    );
  for (const [name, vocabulary] of [
    ['SentencePiece-like', synthetic],
    ["tiny model's own", own],
  ] as const) {
    const steps = filterSteps(vocabulary);
    row(`${name}, inside a string`, vocabulary.size, steps.inString);
    row(`${name}, between JSON tokens`, vocabulary.size, steps.between);
    row(`${name}, all steps`, vocabulary.size, [...steps.inString, ...steps.between]);
  }
  console.log(
    `| index once per tokenizer: texts → trie and lists (SentencePiece-like) | ${synthetic.size} | 1 | ${buildMs.toFixed(0)} | |`,
  );
  console.log(
    `| index once per tokenizer: one decode per id, then the above (tiny model's own) | ${own.size} | 1 | ${indexMs.toFixed(0)} | |`,
  );

  const prompt = promptTokens(decoder.folder.vocabSize);
  const free: number[] = [];
  const constrained: number[] = [];
  /** Each step after the first chunk (sampling, the filter, one run()); the first round warms up. */
  const steps = async (params: GenerationParams, into: number[] | undefined): Promise<void> => {
    const it = generate(decoder, prompt, params);
    await it.next(); // prefill and the first token
    for (let t = performance.now(); !(await it.next()).done; t = performance.now()) into?.push(performance.now() - t);
  };
  for (let i = 0; i <= REPEATS; i++) {
    await steps({ maxNewTokens: NEW_TOKENS, stopTokenIds: [] }, i > 0 ? free : undefined);
    await steps(
      { maxNewTokens: NEW_TOKENS, stopTokenIds: [], constraint: { kind: 'json', schema: MENTIONS } },
      i > 0 ? constrained : undefined,
    );
  }
  await decoder.dispose();
  console.log('');
  console.log(`| ${MODELS[0]?.name ?? 'tiny'} genai fp32, greedy decode step | steps | median ms | p95 ms |`);
  console.log('|---|---:|---:|---:|');
  console.log(`| free | ${free.length} | ${median(free).toFixed(2)} | ${percentile(free, 0.95).toFixed(2)} |`);
  console.log(
    `| constrained | ${constrained.length} | ${median(constrained).toFixed(2)} | ${percentile(constrained, 0.95).toFixed(2)} |`,
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--constraint')) {
    console.log(`# ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} threads, Node ${process.version}`);
    await constraintOverhead();
    return;
  }
  if (argv[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await runOurs(argv[1] ?? ''))}\n`);
    return;
  }
  if (argv[0] === '--child-loop') {
    process.stdout.write(`${JSON.stringify(await runLoop(argv[1] ?? ''))}\n`);
    return;
  }
  const quick = argv.includes('--quick');
  const peerInstalled = existsSync(join(root, 'bench', 'llm-peer', 'node_modules', '@huggingface', 'transformers'));
  const withPeer = !argv.includes('--no-peer') && peerInstalled;
  const bandwidth = measureBandwidth();
  console.log(
    `# LLM runtime benchmark: ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} threads, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at start`,
  );
  console.log(
    `# prompt ${PROMPT} tokens, ${NEW_TOKENS} new tokens greedy, CPU execution provider, default threads; memory bandwidth ${(bandwidth / 1e9).toFixed(1)} GB/s (STREAM-style copy: bytes read + written per second), floor = (weights − embedding table) / bandwidth; medians of ${REPEATS} runs after a warm-up`,
  );
  if (!withPeer)
    console.log(
      `# @huggingface/transformers peer ${peerInstalled ? 'skipped (--no-peer)' : 'not installed: cd bench/llm-peer && ONNXRUNTIME_NODE_INSTALL=skip npm install'}`,
    );
  console.log('');
  console.log(
    '| model | layout | weights | runtime | weight MB | load ms | prefill tok/s | decode ms/token | floor ms/token | peak RSS MB | same tokens |',
  );
  console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const m of quick ? MODELS.slice(0, 1) : MODELS) {
    const runs: { layout: 'genai' | 'optimum'; weights: 'fp32' | 'int4'; peer: boolean; loop: boolean }[] = [
      { layout: 'optimum', weights: 'fp32', peer: true, loop: false },
      { layout: 'genai', weights: 'fp32', peer: false, loop: true },
      { layout: 'genai', weights: 'int4', peer: false, loop: false },
    ];
    let reference: number[] | undefined;
    for (const run of runs) {
      const { dir } = ensureModel(m.name, m.shape, run.layout, run.weights);
      const parsed = await parseModelFolder(dir);
      const weightBytes = parsed.ok ? parsed.folder.weightBytes : NaN;
      // decode reads every weight once per token except the embedding table (one row); KV traffic is small here
      const embeddingBytes = m.shape.vocabSize * m.shape.hiddenSize * 4;
      const floorMs = ((weightBytes - embeddingBytes) / bandwidth) * 1000;
      const results: [string, RunResult | string][] = [
        ['model-runtime', child(['--import', 'tsx', 'bench/llm.bench.ts', '--child', dir])],
      ];
      if (run.loop)
        results.push([
          'model-runtime, decode loop (16/run)',
          child(['--import', 'tsx', 'bench/llm.bench.ts', '--child-loop', dir]),
        ]);
      if (run.peer && withPeer)
        results.push([
          'transformers.js 4.3.1',
          child(['bench/llm-peer/run.mjs', dir, String(PROMPT), String(NEW_TOKENS)]),
        ]);
      for (const [runtime, r] of results) {
        const base = `| ${m.name} | ${run.layout} | ${run.weights} | ${runtime} | ${(weightBytes / 1e6).toFixed(0)} |`;
        if (typeof r === 'string') {
          console.log(`${base} ${r} | | | | | |`);
          continue;
        }
        if (run.weights === 'fp32') reference ??= r.tokens;
        const same =
          run.weights === 'int4' ? 'n/a (int4)' : JSON.stringify(r.tokens) === JSON.stringify(reference) ? 'yes' : 'NO';
        console.log(
          `${base} ${r.loadMs.toFixed(0)} | ${(PROMPT / (r.prefillMs / 1000)).toFixed(0)} | ${r.decodeMsPerToken.toFixed(2)} | ${floorMs.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${same} |`,
        );
      }
    }
  }
  await constraintOverhead();
}

await main();
