// Batched generation benchmark (`npm run bench:llm:batch`): a batch job's prompts generated one after another
// against generateBatch() (rows side by side in each run(): left-padded for the Optimum layout, right-padded for
// genai's GroupQueryAttention), on CPU, for the tiny and mid-size random models of bench/llm.bench.ts. Both give
// the same tokens (model-runtime/test/batch-generator.test.ts); this measures the time. Folders are cached in
// bench/.work/llm-batch.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Decoder, buildModel, generate, generateBatch } from '@cancerllm/model-runtime';
import { BENCH_MODELS } from './llm-models.ts';

const root = new URL('..', import.meta.url).pathname;
const work = join(root, 'bench', '.work', 'llm-batch');
const PROMPTS = 8;
const NEW_TOKENS = 32;
const REPEATS = 3;

/** Prompts of different lengths (64 to 176 tokens), as a batch job's notes are. */
function prompts(vocab: number): number[][] {
  return Array.from({ length: PROMPTS }, (_, i) =>
    Array.from({ length: 64 + i * 16 }, (_, j) => 5 + ((i * 131 + j * 7919) % (vocab - 5))),
  );
}

async function drain(chunks: AsyncIterable<unknown>): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  while (!(await iterator.next()).done);
}

async function fastest(run: () => Promise<unknown>): Promise<number> {
  await run();
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await run();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

async function main(): Promise<void> {
  console.log(
    `# ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} threads, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at start`,
  );
  console.log(
    `# ${PROMPTS} prompts of 64–176 tokens, ${NEW_TOKENS} new tokens each, greedy, fp32, CPU; fastest of ${REPEATS}`,
  );
  console.log('| model | layout | one after another ms | batched ms | speed-up |');
  console.log('|---|---|---:|---:|---:|');
  for (const { name, shape } of BENCH_MODELS) {
    for (const layout of ['optimum', 'genai'] as const) {
      const dir = join(work, `${name.replace(/[^a-z0-9]+/gi, '-')}-${layout}`);
      if (!existsSync(join(dir, 'tokenizer_config.json'))) {
        const built = buildModel({ outDir: dir, source: { kind: 'random', shape, seed: 3 }, layout, weights: 'fp32' });
        if (!built.ok) throw new Error(built.message);
      }
      const loaded = await Decoder.load(dir, { executionProvider: 'cpu' });
      if (!loaded.ok) throw new Error(loaded.problem.message);
      const decoder = loaded.decoder;
      const batch = prompts(shape.vocabSize);
      const params = { maxNewTokens: NEW_TOKENS, stopTokenIds: [] };
      const oneByOne = await fastest(async () => {
        for (const prompt of batch) await drain(generate(decoder, prompt, params));
      });
      const batched = await fastest(() => generateBatch(decoder, batch, params));
      await decoder.dispose();
      console.log(
        `| ${name} | ${layout} | ${oneByOne.toFixed(0)} | ${batched.toFixed(0)} | ${(oneByOne / batched).toFixed(2)}× |`,
      );
    }
  }
}

await main();
