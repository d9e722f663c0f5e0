// Batched generation gives each prompt the tokens it gets alone (padding is invisible: left with position_ids,
// right for GroupQueryAttention; a shared prefix run once is too), with per-row limits, for both layouts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder } from '../src/decoder.ts';
import type { KvCache } from '../src/kv-cache.ts';
import { generate, type GenerationParams } from '../src/generator.ts';
import { generateBatch, sharedPrefixLength } from '../src/batch-generator.ts';
import { tinyModels, type TinyModels } from './tiny-models.ts';

const PROMPTS = [
  [1, 37, 200, 5, 99],
  [1, 8, 9, 10, 11, 12, 13, 14, 400],
  [1, 77],
];

/** What a batch's runs are shown: each forwardBatch before it runs, and each forwardLast's token count. */
interface RunWatch {
  batch?: (rows: readonly (readonly number[])[], mask: readonly (readonly number[])[], cache: KvCache) => void;
  last?: (tokens: number) => void;
}

/** `body` with the decoder's runs shown to `watch`; the decoder's own methods are back afterwards. */
async function watchingRuns<T>(d: Decoder, watch: RunWatch, body: () => Promise<T>): Promise<T> {
  const forwardBatch = d.forwardBatch.bind(d);
  const forwardLast = d.forwardLast.bind(d);
  d.forwardBatch = (rows, mask, cache) => (watch.batch?.(rows, mask, cache), forwardBatch(rows, mask, cache));
  d.forwardLast = (tokens, cache, slice) => (watch.last?.(tokens.length), forwardLast(tokens, cache, slice));
  try {
    return await body();
  } finally {
    d.forwardBatch = forwardBatch;
    d.forwardLast = forwardLast;
  }
}

describe('batched generation', () => {
  let models: TinyModels;
  const decoders = new Map<string, Decoder>();
  before(async () => {
    models = tinyModels();
    for (const layout of ['optimum', 'genai'] as const) {
      const r = await Decoder.load(models.build(layout, 'fp32'), { executionProvider: 'cpu', threads: 1 });
      if (!r.ok) assert.fail(r.problem.message);
      decoders.set(layout, r.decoder);
    }
  });
  after(async () => {
    for (const d of decoders.values()) await d.dispose();
    models.cleanup();
  });

  async function alone(
    d: Decoder,
    prompt: readonly number[],
    params: GenerationParams,
  ): Promise<{ tokens: number[]; text: string; reason: string }> {
    const it = generate(d, prompt, params);
    const tokens: number[] = [];
    let text = '';
    for (;;) {
      const r = await it.next();
      if (r.done) return { tokens, text, reason: r.value };
      tokens.push(r.value.token);
      text += r.value.text;
    }
  }

  for (const layout of ['optimum', 'genai']) {
    test(`${layout}: greedy rows equal each prompt generated alone`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const params = { maxNewTokens: 12, stopTokenIds: [] };
      const want = await Promise.all(PROMPTS.map((p) => alone(d, p, params)));
      assert.deepEqual(await generateBatch(d, PROMPTS, params), want);
    });
  }

  for (const layout of ['optimum', 'genai']) {
    test(`${layout}: sampled rows use seed + row and equal the same request alone`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const params = { maxNewTokens: 10, stopTokenIds: [], temperature: 1.3, topK: 30, seed: 11 };
      const got = await generateBatch(d, PROMPTS, params);
      for (let i = 0; i < PROMPTS.length; i++)
        assert.deepEqual(got[i], await alone(d, PROMPTS[i] ?? [], { ...params, seed: 11 + i }));
    });

    test(`${layout}: a row that stops early does not change the others`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const free = await alone(d, PROMPTS[0] ?? [], { maxNewTokens: 12, stopTokenIds: [] });
      const eos = free.tokens[2] ?? assert.fail();
      const params = { maxNewTokens: 12, stopTokenIds: [eos] };
      const got = await generateBatch(d, PROMPTS, params);
      assert.equal(got[0]?.reason, 'eos');
      assert.deepEqual(got, await Promise.all(PROMPTS.map((p) => alone(d, p, params))));
    });

    test(`${layout}: a batch whose prefill logits would pass the memory budget runs in groups, same tokens`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const widths: number[] = [];
      const five = [...PROMPTS, [1, 5, 6], [1, 300, 301, 302]];
      const params = { maxNewTokens: 6, stopTokenIds: [], temperature: 1.1, topK: 20, seed: 4 };
      // room for the logits of two rows of the longest prompt (9 tokens)
      const budget = 2 * 9 * d.folder.vocabSize * 4;
      const got = await watchingRuns(
        d,
        { batch: (rows, _, cache) => void (cache.length === 0 && widths.push(rows.length)) },
        () => generateBatch(d, five, params, undefined, budget),
      );
      // each group takes prompts in order while the logits fit by its own longest prompt: [5, 9], then [2, 3, 4]
      assert.deepEqual(widths, [2, 3]);
      for (let i = 0; i < five.length; i++)
        assert.deepEqual(got[i], await alone(d, five[i] ?? [], { ...params, seed: 4 + i }), `row ${i}`);
    });

    test(`${layout}: a prompt too long for the context, or an empty one, is refused before anything runs`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      let runs = 0;
      const params = { maxNewTokens: 4, stopTokenIds: [] };
      const tooLong = new Array<number>(d.folder.contextLength).fill(5);
      await watchingRuns(d, { batch: () => runs++, last: () => runs++ }, async () => {
        // the too-long prompt comes last, in a group of its own by the budget
        await assert.rejects(
          generateBatch(d, [...PROMPTS, tooLong], params, undefined, 3 * 9 * d.folder.vocabSize * 4),
          (error: Error) => error.name === 'ContextLengthError',
        );
        await assert.rejects(
          generateBatch(d, [PROMPTS[0] ?? [], []], params),
          /^Error: prompt 1 of the batch is empty: a row needs at least one token$/,
        );
      });
      assert.equal(runs, 0);
    });

    test(`${layout}: prompts with a long shared prefix run it once and give each prompt's tokens alone`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      // CancerLLM's questions: one section's text (the shared prefix), then questions of different lengths
      const section = Array.from({ length: 40 }, (_, i) => 3 + ((i * 37) % 400));
      const questions = [[501], [502, 503, 504, 505, 506], [507, 508], [509, 510], [411, 412, 413]];
      const batch = questions.map((q) => [...section, ...q]);
      assert.equal(sharedPrefixLength(batch), 40);
      const prefixes: number[] = [];
      const runs: string[] = [];
      const watch: RunWatch = {
        last: (tokens) => prefixes.push(tokens),
        batch: (rows) => runs.push(`${rows.length}×${rows[0]?.length ?? 0}`),
      };
      const greedy = { maxNewTokens: 8, stopTokenIds: [] };
      const sampled = { maxNewTokens: 8, stopTokenIds: [], temperature: 1.2, topK: 25, seed: 6 };
      const gotGreedy = await watchingRuns(d, watch, () => generateBatch(d, batch, greedy));
      const gotSampled = await watchingRuns(d, watch, () => generateBatch(d, batch, sampled));
      assert.deepEqual(prefixes, [40, 40]);
      // after the prefix, the rests (rows × tokens): one run per rest length, or per row for GroupQueryAttention;
      // then 7 runs of one new token in all 5 rows
      const rests = layout === 'genai' ? ['1×1', '1×5', '1×2', '1×2', '1×3'] : ['1×1', '1×5', '2×2', '1×3'];
      const decode = new Array<string>(7).fill('5×1');
      assert.deepEqual(runs, [...rests, ...decode, ...rests, ...decode]);
      assert.deepEqual(gotGreedy, await Promise.all(batch.map((p) => alone(d, p, greedy))));
      for (let i = 0; i < batch.length; i++)
        assert.deepEqual(gotSampled[i], await alone(d, batch[i] ?? [], { ...sampled, seed: 6 + i }), `row ${i}`);
    });

    test(`${layout}: a shared-prefix batch split into groups by the memory budget runs its prefix once`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const section = Array.from({ length: 40 }, (_, i) => 3 + ((i * 41) % 400));
      const batch = [[501], [502, 503], [504, 505, 506], [507], [508, 509]].map((q) => [...section, ...q]);
      const prefixes: number[] = [];
      const params = { maxNewTokens: 6, stopTokenIds: [] };
      // room for the logits of two rows of the longest rest (3 tokens): groups of 2, 2 and 1
      const budget = 2 * 3 * d.folder.vocabSize * 4;
      const got = await watchingRuns(d, { last: (tokens) => prefixes.push(tokens) }, () =>
        generateBatch(d, batch, params, undefined, budget),
      );
      // the prefix once, for the groups of two and the last prompt's group of one
      assert.deepEqual(prefixes, [40]);
      assert.deepEqual(got, await Promise.all(batch.map((p) => alone(d, p, params))));
    });

    test(`${layout}: a row whose answer could fill the context runs alone, so that it cuts no other row short`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const long = Array.from({ length: d.folder.contextLength - 4 }, (_, i) => 3 + (i % 400));
      const params = { maxNewTokens: 8, stopTokenIds: [] };
      for (const batch of [
        [PROMPTS[0] ?? [], long, PROMPTS[1] ?? []],
        // sharing a prefix with the long one
        [long.slice(0, 40).concat([501]), long, long.slice(0, 40).concat([502, 503])],
      ]) {
        const got = await generateBatch(d, batch, params);
        assert.deepEqual(got, await Promise.all(batch.map((p) => alone(d, p, params))));
        assert.deepEqual(got.map((r) => r.reason), ['max-new-tokens', 'context-full', 'max-new-tokens']);
      }
    });

    test(`${layout}: an abort stops a batch within one run, with or without a shared prefix`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const section = Array.from({ length: 40 }, (_, i) => 3 + ((i * 37) % 400));
      const shared = [[501], [502, 503, 504], [505, 506], [507, 508, 509, 510]].map((q) => [...section, ...q]);
      const params = { maxNewTokens: 8, stopTokenIds: [] };
      const abortedAt = async (batch: number[][]) => {
        const controller = new AbortController();
        let runs = 0;
        const abortOnSecond = () => void (++runs === 2 && controller.abort());
        const got = await watchingRuns(d, { batch: abortOnSecond }, () =>
          generateBatch(d, batch, params, controller.signal),
        );
        return { got, runs };
      };
      // padded: the prompts' run and one decode run, each row holding the two tokens those runs gave
      const padded = await abortedAt(PROMPTS);
      assert.equal(padded.runs, 2);
      assert.deepEqual(padded.got.map((r) => [r.reason, r.tokens.length]), PROMPTS.map(() => ['aborted', 2]));
      // shared prefix: aborted while the rests run, before any row has sampled
      const rests = await abortedAt(shared);
      assert.equal(rests.runs, 2);
      assert.deepEqual(rests.got, shared.map(() => ({ tokens: [], text: '', reason: 'aborted' })));
    });

    test(`${layout}: every run carries all the rows, padded on the model's side`, async () => {
      const d = decoders.get(layout) ?? assert.fail();
      const runs: { rows: number; first: readonly number[] }[] = [];
      await watchingRuns(d, { batch: (rows) => runs.push({ rows: rows.length, first: rows[2] ?? [] }) }, () =>
        generateBatch(d, PROMPTS, { maxNewTokens: 4, stopTokenIds: [] }),
      );
      assert.deepEqual(
        runs.map((r) => r.rows),
        [3, 3, 3, 3],
      );
      // the shortest prompt, [1, 77], padded to the longest (9 tokens) with the end-of-sequence id
      const pad = new Array<number>(7).fill(d.folder.eosTokenIds[0] ?? 0);
      assert.deepEqual(runs[0]?.first, layout === 'genai' ? [1, 77, ...pad] : [...pad, 1, 77]);
    });
  }
});
