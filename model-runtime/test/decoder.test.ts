// The built graphs compute a Mistral decoder: cached decoding equals a full re-run, both layouts equal an
// independent TypeScript forward pass, and fp16 / int4 stay within stated tolerances of fp32.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder } from '../src/decoder.ts';
import { RandomWeights } from '../src/builder/weights.ts';
import { referenceForward } from './reference-forward.ts';
import { TINY_SEED, TINY_SHAPE, maxAbs, maxAbsDiff, tinyModels, type TinyModels } from './tiny-models.ts';

const PROMPT = [1, 37, 200, 5, 99, 314, 7, 42, 500, 11];

async function load(dir: string): Promise<Decoder> {
  const r = await Decoder.load(dir, { executionProvider: 'cpu', threads: 1 });
  if (!r.ok) throw new Error(r.problem.message);
  return r.decoder;
}

/** Greedy continuation with the cache, and the logits of every decode step. */
async function cachedRun(d: Decoder, steps: number): Promise<{ tokens: number[]; logits: Float32Array[] }> {
  const cache = d.newCache();
  const tokens = [...PROMPT];
  const logits: Float32Array[] = [];
  let last = await d.forwardLast(PROMPT, cache);
  for (let i = 0; i < steps; i++) {
    logits.push(Float32Array.from(last));
    let best = 0;
    for (let v = 1; v < last.length; v++) if ((last[v] ?? 0) > (last[best] ?? 0)) best = v;
    tokens.push(best);
    last = await d.forwardLast([best], cache);
  }
  cache.dispose();
  return { tokens, logits };
}

describe('decoder', () => {
  let models: TinyModels;
  const decoders = new Map<string, Decoder>();
  before(async () => {
    models = tinyModels();
    for (const layout of ['genai', 'optimum'] as const) {
      for (const weights of ['fp32', 'fp16', 'int4'] as const)
        decoders.set(`${layout}-${weights}`, await load(models.build(layout, weights)));
    }
  });
  after(async () => {
    for (const d of decoders.values()) await d.dispose();
    models.cleanup();
  });
  const get = (key: string): Decoder => decoders.get(key) ?? assert.fail(`no decoder ${key}`);

  for (const layout of ['genai', 'optimum']) {
    test(`${layout}: cached decode logits equal a full re-run without cache (fp32, ≤ 1e-4)`, async () => {
      const d = get(`${layout}-fp32`);
      const { tokens, logits } = await cachedRun(d, 6);
      for (let i = 0; i < logits.length; i++) {
        const cache = d.newCache();
        const full = await d.forwardLast(tokens.slice(0, PROMPT.length + i), cache);
        cache.dispose();
        assert.ok(maxAbsDiff(full, logits[i] ?? new Float32Array()) <= 1e-4, `step ${i}`);
      }
    });

    test(`${layout}: the graph equals an independent TypeScript forward pass of the same weights (≤ 1e-4)`, async () => {
      const d = get(`${layout}-fp32`);
      const tokens = PROMPT.slice(0, 6);
      const cache = d.newCache();
      const got = await d.forward(tokens, cache);
      cache.dispose();
      const want = referenceForward(TINY_SHAPE, new RandomWeights(TINY_SHAPE, TINY_SEED), tokens);
      const V = TINY_SHAPE.vocabSize;
      for (let s = 0; s < tokens.length; s++) {
        const row = got.subarray(s * V, (s + 1) * V);
        assert.ok(maxAbsDiff(row, want[s] ?? []) <= 1e-4, `position ${s}: ${maxAbsDiff(row, want[s] ?? [])}`);
      }
      assert.ok(maxAbs(got) > 0.5, 'logits are not trivially small');
    });

    test(`${layout}: fp16 logits within 2% of the logit range of fp32, same greedy tokens`, async () => {
      const a = await cachedRun(get(`${layout}-fp32`), 4);
      const b = await cachedRun(get(`${layout}-fp16`), 4);
      for (let i = 0; i < a.logits.length; i++) {
        const ref = a.logits[i] ?? new Float32Array();
        assert.ok(maxAbsDiff(ref, b.logits[i] ?? new Float32Array()) <= 0.02 * maxAbs(ref), `step ${i}`);
      }
      assert.deepEqual(b.tokens, a.tokens);
    });

    test(`${layout}: int4 (MatMulNBits, block 32) logits within 25% of the logit range of fp32`, async () => {
      // uniform random weights are the worst case for 4-bit blocks; trained weights quantize better
      const a = await cachedRun(get(`${layout}-fp32`), 1);
      const b = await cachedRun(get(`${layout}-int4`), 1);
      const ref = a.logits[0] ?? new Float32Array();
      const diff = maxAbsDiff(ref, b.logits[0] ?? new Float32Array());
      assert.ok(diff <= 0.25 * maxAbs(ref), `diff ${diff} vs range ${maxAbs(ref)}`);
    });
  }

  for (const layout of ['genai', 'optimum']) {
    test(`${layout}: a prompt run in slices (chunked prefill) gives the logits of one run (≤ 1e-4)`, async () => {
      const d = get(`${layout}-fp32`);
      const whole = d.newCache();
      const sliced = d.newCache();
      try {
        const want = await d.forwardLast(PROMPT, whole);
        const got = await d.forwardLast(PROMPT, sliced, 3);
        assert.equal(sliced.length, PROMPT.length);
        assert.ok(maxAbsDiff(got, want) <= 1e-4);
        // and decoding continues identically from either cache
        assert.ok(maxAbsDiff(await d.forwardLast([42], sliced), await d.forwardLast([42], whole)) <= 1e-4);
      } finally {
        whole.dispose();
        sliced.dispose();
      }
    });
  }

  test('genai and optimum layouts compute the same function', async () => {
    const a = await cachedRun(get('genai-fp32'), 5);
    const b = await cachedRun(get('optimum-fp32'), 5);
    assert.deepEqual(b.tokens, a.tokens);
    for (let i = 0; i < a.logits.length; i++) assert.ok(maxAbsDiff(a.logits[i] ?? [], b.logits[i] ?? []) <= 1e-4);
  });
});
