// The GPU check of model-runtime (issue #5), as one prepared run for a lent device machine: builds a 7B-shaped
// Mistral model with random weights (fp16 and int4, genai layout, fp16 activations), then measures decode ms/token
// at a 2k context for the decode loop (chunks of 64, 16 and 1 tokens per run()) and for the step-by-step decoder
// (one run() per token: the KV cache crosses the host every token), and peak GPU memory of the int4 model at a 4k
// context. Prints one JSON line per measurement and writes them all to <out>/device-check.json.
//
// On the device (no Node there: bench/gpu/on-device.sh brings one):
//   node device-check.cjs --out "$OUT" [--shape 7b|mid|tiny] [--ep cuda|cpu] [--weights int4,fp16] [--layers N]
//                         [--speed-context 2048] [--memory-context 4096] [--work /tmp/device-check] [--build-only]
// test/bench/device-check.test.ts runs the whole procedure on CPU with a tiny model and short contexts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DecodeLoop,
  Decoder,
  generate,
  generateBatch,
  parseModelFolder,
  writeDecodeLoopModel,
  type ModelShape,
} from '@cancerllm/model-runtime';
import { GpuMemoryWatch, type GpuMemory } from './gpu-memory.ts';
import { builtModel } from './model-build.ts';

/** Mistral-7B v0.1's shape (the CancerLLM paper's base), with a 4k context for the memory figure. */
const MISTRAL_7B: ModelShape = {
  vocabSize: 32000,
  hiddenSize: 4096,
  intermediateSize: 14336,
  numLayers: 32,
  numHeads: 32,
  numKvHeads: 8,
  headDim: 128,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
  maxPositions: 4096,
  tieWordEmbeddings: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

export const SHAPES: Record<string, ModelShape> = {
  '7b': MISTRAL_7B,
  mid: { ...MISTRAL_7B, hiddenSize: 1024, intermediateSize: 3584, numLayers: 8, numHeads: 8, numKvHeads: 2 },
  tiny: {
    ...MISTRAL_7B,
    hiddenSize: 256,
    intermediateSize: 896,
    numLayers: 4,
    numHeads: 8,
    numKvHeads: 2,
    headDim: 32,
  },
};

/** Context of the speed figures (the "KV cache at 2k tokens"), and of the memory figure. */
export interface Contexts {
  speed: number;
  memory: number;
}
const CONTEXTS: Contexts = { speed: 2048, memory: 4096 };
const LOOP_NEW_TOKENS = 129;
/** The step-by-step decoder copies the whole KV cache every token (~200 ms at 2k on the GPU): a few tokens tell. */
const STEP_NEW_TOKENS = 9;

export interface Measurement {
  what: string;
  weights: 'fp16' | 'int4';
  provider: 'cuda' | 'cpu';
  context: number;
  decodeMsPerToken?: number;
  prefillMs?: number;
  /** GPU memory over the phase (whole GPU, see gpu-memory.ts). */
  gpuMemory?: GpuMemory;
  seconds?: number;
  /** The step-by-step decoder's greedy tokens equal the decode loop's (the same weights and prompt). */
  sameTokens?: boolean;
  note?: string;
}

function promptOf(length: number, vocab: number): number[] {
  return Array.from({ length }, (_, i) => 5 + ((i * 7919) % (vocab - 5)));
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

/**
 * Decode ms/token from a 1-token run (prefill) and an n-token run: (full − prefill) / (n − 1), each the fastest of
 * three after a warm-up, so that one slow run (another process, a clock step) cannot make it negative.
 */
async function decodeRate(
  generateTokens: (n: number) => Promise<unknown>,
  n: number,
): Promise<{ prefillMs: number; decodeMsPerToken: number }> {
  await generateTokens(2);
  let prefillMs = Infinity;
  let fullMs = Infinity;
  for (let i = 0; i < 3; i++) {
    prefillMs = Math.min(prefillMs, await timed(() => generateTokens(1)));
    fullMs = Math.min(fullMs, await timed(() => generateTokens(n)));
  }
  return { prefillMs, decodeMsPerToken: (fullMs - prefillMs) / (n - 1) };
}

/**
 * Whether generateBatch gives prompts of three lengths the greedy tokens each gets alone: batched rows are padded
 * (right for GroupQueryAttention), which the CPU tests prove and the CUDA kernels may treat otherwise.
 */
async function batchedEqualsAlone(decoder: Decoder, prompt: readonly number[]): Promise<boolean> {
  const prompts = [prompt.slice(0, 31), prompt.slice(0, 17), prompt.slice(0, 24)];
  const params = { maxNewTokens: STEP_NEW_TOKENS, stopTokenIds: [] };
  const batched = await generateBatch(decoder, prompts, params);
  for (let i = 0; i < prompts.length; i++) {
    const alone = await tokensOf(generate(decoder, prompts[i] ?? [], params));
    if (batched[i]?.tokens.join() !== alone.join()) return false;
  }
  return true;
}

async function tokensOf(chunks: AsyncIterable<{ token: number }>): Promise<number[]> {
  const tokens: number[] = [];
  for await (const chunk of chunks) tokens.push(chunk.token);
  return tokens;
}

async function measureFolder(
  dir: string,
  weights: 'fp16' | 'int4',
  ep: 'cuda' | 'cpu',
  contexts: Contexts,
  report: (m: Measurement) => void,
): Promise<void> {
  const parsed = await parseModelFolder(dir);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const folder = parsed.folder;
  const speedPrompt = promptOf(contexts.speed - LOOP_NEW_TOKENS, folder.vocabSize);
  const loopPath = await writeDecodeLoopModel(folder);
  const watch = new GpuMemoryWatch();
  let loopTokens: number[] = [];
  try {
    watch.start();
    const loadStart = performance.now();
    const loop = await DecodeLoop.open(folder, loopPath, { executionProvider: ep });
    const base = { weights, provider: loop.provider, context: contexts.speed };
    report({
      ...base,
      what: 'load decode loop',
      seconds: (performance.now() - loadStart) / 1000,
      note: loop.fallbackMessage,
    });
    if (loop.provider !== ep) {
      await loop.dispose();
      // a 7B model on the CPU would outlast the device call and measure nothing the check is for
      throw new Error(`asked for ${ep}, got ${loop.provider} (${loop.fallbackMessage ?? 'no reason given'}); stopped`);
    }
    try {
      for (const chunkSize of [64, 16, 1]) {
        const n = chunkSize === 1 ? STEP_NEW_TOKENS * 2 : LOOP_NEW_TOKENS;
        const rate = await decodeRate(
          (maxNewTokens) => tokensOf(loop.generate(speedPrompt, { maxNewTokens, chunkSize, stopTokenIds: [] })),
          n,
        );
        report({ ...base, what: `decode loop, ${chunkSize} token${chunkSize > 1 ? 's' : ''} per run()`, ...rate });
      }
      loopTokens = await tokensOf(loop.generate(speedPrompt, { maxNewTokens: STEP_NEW_TOKENS, stopTokenIds: [] }));
      if (weights === 'int4') {
        const memoryPrompt = promptOf(contexts.memory - 65, folder.vocabSize);
        await tokensOf(loop.generate(memoryPrompt, { maxNewTokens: 64, chunkSize: 64, stopTokenIds: [] }));
      }
    } finally {
      await loop.dispose();
    }
    report({
      ...base,
      what: 'decode loop, peak GPU memory (whole phase)',
      context: weights === 'int4' ? contexts.memory : contexts.speed,
      gpuMemory: watch.stop(),
    });

    watch.start();
    const loaded = await Decoder.load(dir, { executionProvider: ep });
    if (!loaded.ok) throw new Error(loaded.problem.message);
    const decoder = loaded.decoder;
    try {
      const rate = await decodeRate(
        (maxNewTokens) => tokensOf(generate(decoder, speedPrompt, { maxNewTokens, stopTokenIds: [] })),
        STEP_NEW_TOKENS,
      );
      const stepTokens = await tokensOf(
        generate(decoder, speedPrompt, { maxNewTokens: STEP_NEW_TOKENS, stopTokenIds: [] }),
      );
      report({
        ...base,
        provider: decoder.provider,
        what: 'step-by-step decoder, 1 token per run()',
        ...rate,
        sameTokens: stepTokens.join() === loopTokens.join(),
      });
      report({
        ...base,
        provider: decoder.provider,
        what: 'batched rows (right-padded) against each prompt alone',
        sameTokens: await batchedEqualsAlone(decoder, speedPrompt),
      });
    } finally {
      await decoder.dispose();
    }
    report({
      ...base,
      provider: decoder.provider,
      what: 'step-by-step decoder, peak GPU memory',
      gpuMemory: watch.stop(),
    });
  } finally {
    watch.stop();
  }
}

export async function deviceCheck(options: {
  out: string;
  shape: ModelShape;
  ep: 'cuda' | 'cpu';
  weights: ReadonlyArray<'fp16' | 'int4'>;
  work: string;
  contexts?: Contexts;
  /** Only build the model folders (a background run that prepares the next weight kind). */
  buildOnly?: boolean;
  print?: (line: string) => void;
}): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const report = (m: Measurement): void => {
    results.push(m);
    (options.print ?? console.log)(JSON.stringify(m));
  };
  mkdirSync(options.out, { recursive: true });
  try {
    for (const weights of options.weights) {
      const shape = options.shape;
      const activations = options.ep === 'cuda' ? 'fp16' : 'fp32';
      const dir = join(options.work, `${shape.numLayers}x${shape.hiddenSize}-${weights}-${activations}`);
      const build = await builtModel({
        outDir: dir,
        source: { kind: 'random', shape, seed: 7 },
        layout: 'genai',
        weights,
        activations,
      });
      report({ what: 'build', weights, provider: options.ep, context: 0, ...build });
      if (options.buildOnly) continue;
      await measureFolder(dir, weights, options.ep, options.contexts ?? CONTEXTS, report);
    }
  } finally {
    writeFileSync(join(options.out, 'device-check.json'), `${JSON.stringify(results, null, 2)}\n`);
  }
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      shape: { type: 'string', default: '7b' },
      ep: { type: 'string', default: 'cuda' },
      weights: { type: 'string', default: 'int4,fp16' },
      layers: { type: 'string' },
      work: { type: 'string', default: '/tmp/device-check' },
      'speed-context': { type: 'string', default: String(CONTEXTS.speed) },
      'memory-context': { type: 'string', default: String(CONTEXTS.memory) },
      'build-only': { type: 'boolean', default: false },
    },
  });
  const shape = SHAPES[values.shape];
  const weights = values.weights.split(',');
  const count = (v: string | undefined, fallback: number): number => (v === undefined ? fallback : Number(v));
  const layers = count(values.layers, shape?.numLayers ?? 0);
  const speed = count(values['speed-context'], 0);
  const memory = count(values['memory-context'], 0);
  const wrong = [
    !values.out && '--out is required',
    !shape && `--shape ${values.shape} is not one of ${Object.keys(SHAPES).join(', ')}`,
    values.ep !== 'cuda' && values.ep !== 'cpu' && `--ep ${values.ep} is not cuda or cpu`,
    !weights.every((w) => w === 'int4' || w === 'fp16') && `--weights ${values.weights} is not a list of int4 and fp16`,
    !(Number.isInteger(layers) && layers > 0) && `--layers ${values.layers} is not a positive whole number`,
    !(Number.isInteger(speed) && speed > LOOP_NEW_TOKENS) &&
      `--speed-context must be a whole number above ${LOOP_NEW_TOKENS}`,
    !(Number.isInteger(memory) && memory > 65) && '--memory-context must be a whole number above 65',
  ].filter((w): w is string => typeof w === 'string');
  if (wrong.length > 0 || !values.out || !shape || (values.ep !== 'cuda' && values.ep !== 'cpu')) {
    console.error(
      `${wrong.join('; ')}\nusage: device-check --out DIR [--shape 7b|mid|tiny] [--ep cuda|cpu] [--weights int4,fp16] ` +
        '[--layers N] [--speed-context N] [--memory-context N] [--work DIR] [--build-only]',
    );
    process.exit(2);
  }
  await deviceCheck({
    out: values.out,
    shape: { ...shape, numLayers: layers },
    ep: values.ep,
    weights: weights as Array<'int4' | 'fp16'>,
    work: values.work,
    contexts: { speed, memory },
    buildOnly: values['build-only'],
  });
}

if (process.argv[1] && /device-check\.(ts|cjs)$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
