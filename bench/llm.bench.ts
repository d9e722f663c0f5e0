// LLM runtime benchmark (`npm run bench:llm`): prefill tokens/s, decode ms/token and peak memory of
// @cancerllm/model-runtime on CPU for a tiny and a mid-size Mistral-shaped model with random weights, next to
// @huggingface/transformers on the same model folder (bench/llm-peer, its own node_modules), and the bandwidth
// floor: weight bytes / measured memory bandwidth. Each run is a separate process so peak RSS is its own.
// Options: --quick (tiny model only), --no-peer. Model folders are cached in bench/.work/llm.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  DecodeLoop,
  Decoder,
  buildModel,
  generate,
  parseModelFolder,
  writeDecodeLoopModel,
  type ModelShape,
} from '@cancerllm/model-runtime';

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

const shapeOf = (layers: number, hidden: number, inter: number): ModelShape => ({
  vocabSize: 32000,
  hiddenSize: hidden,
  intermediateSize: inter,
  numLayers: layers,
  numHeads: 8,
  numKvHeads: 2,
  headDim: hidden / 8,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
  maxPositions: 2048,
  tieWordEmbeddings: false,
  bosTokenId: 1,
  eosTokenIds: [2],
});

const MODELS = [
  { name: 'tiny 4×256', shape: shapeOf(4, 256, 896) },
  { name: 'mid 8×1024', shape: shapeOf(8, 1024, 3584) },
];

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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
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
}

await main();
