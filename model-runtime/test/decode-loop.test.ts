// The decode-loop model (many decode steps inside one run, KV cache as loop-carried state, the next token chosen
// in the graph) produces exactly the tokens of the step-by-step generator, across chunk boundaries, for both layouts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder } from '../src/decoder.ts';
import { generate, type GenerationParams } from '../src/generator.ts';
import { DecodeLoop, writeDecodeLoopModel } from '../src/loop/loop-generator.ts';
import { tinyModels, type TinyModels } from './tiny-models.ts';

const PROMPT = [1, 37, 200, 5, 99, 314, 7];

async function collect<T>(
  it: AsyncGenerator<{ token: number; text: string }, T>,
): Promise<{ tokens: number[]; text: string; end: T }> {
  const tokens: number[] = [];
  let text = '';
  for (;;) {
    const r = await it.next();
    if (r.done) return { tokens, text, end: r.value };
    tokens.push(r.value.token);
    text += r.value.text;
  }
}

describe('decode loop', () => {
  let models: TinyModels;
  const loaded = new Map<string, { decoder: Decoder; loop: DecodeLoop }>();
  before(async () => {
    models = tinyModels();
    for (const layout of ['genai', 'optimum'] as const) {
      const r = await Decoder.load(models.build(layout, 'fp32'), { executionProvider: 'cpu', threads: 1 });
      if (!r.ok) assert.fail(r.problem.message);
      const path = await writeDecodeLoopModel(r.decoder.folder);
      loaded.set(layout, {
        decoder: r.decoder,
        loop: await DecodeLoop.open(r.decoder.folder, path, { executionProvider: 'cpu', threads: 1 }),
      });
    }
  });
  after(async () => {
    for (const { decoder, loop } of loaded.values()) {
      await loop.dispose();
      await decoder.dispose();
    }
    models.cleanup();
  });

  for (const layout of ['genai', 'optimum']) {
    for (const chunkSize of [1, 4, 64]) {
      test(`${layout}: chunks of ${chunkSize} give the step-by-step greedy tokens and text`, async () => {
        const m = loaded.get(layout) ?? assert.fail();
        const params: GenerationParams = { maxNewTokens: 20, stopTokenIds: [] };
        const want = await collect(generate(m.decoder, PROMPT, params));
        const got = await collect(m.loop.generate(PROMPT, { ...params, chunkSize }));
        assert.deepEqual(got, want);
      });
    }
  }

  for (const layout of ['genai', 'optimum']) {
    test(`${layout}: seeded top-k/top-p sampling in the graph gives the step-by-step generator's tokens`, async () => {
      const m = loaded.get(layout) ?? assert.fail();
      for (const sampling of [
        { temperature: 1.5, topK: 40, topP: 0.9, seed: 7 },
        { temperature: 0.8, topK: 0, topP: 1, seed: 3 },
      ]) {
        const params: GenerationParams = { maxNewTokens: 24, stopTokenIds: [], ...sampling };
        const want = await collect(generate(m.decoder, PROMPT, params));
        for (const chunkSize of [5, 64])
          assert.deepEqual(
            await collect(m.loop.generate(PROMPT, { ...params, chunkSize })),
            want,
            `${JSON.stringify(sampling)} chunks of ${chunkSize}`,
          );
      }
    });
  }

  test('different seeds sample different tokens in the graph', async () => {
    const m = loaded.get('genai') ?? assert.fail();
    const run = async (seed: number): Promise<number[]> =>
      (await collect(m.loop.generate(PROMPT, { maxNewTokens: 16, temperature: 2, seed, stopTokenIds: [] }))).tokens;
    assert.notDeepEqual(await run(1), await run(2));
  });

  test('an end-of-sequence id stops the loop inside the graph', async () => {
    const m = loaded.get('genai') ?? assert.fail();
    const free = await collect(m.loop.generate(PROMPT, { maxNewTokens: 12, stopTokenIds: [] }));
    const eos = free.tokens[6] ?? assert.fail();
    const got = await collect(m.loop.generate(PROMPT, { maxNewTokens: 12, chunkSize: 64, stopTokenIds: [eos] }));
    assert.equal(got.end, 'eos');
    assert.deepEqual(got.tokens, free.tokens.slice(0, free.tokens.indexOf(eos) + 1));
  });

  test('the context limit is the same as the step-by-step generator', async () => {
    const m = loaded.get('optimum') ?? assert.fail();
    const prompt = new Array<number>(m.decoder.folder.contextLength - 6).fill(9);
    const params = { maxNewTokens: 50, stopTokenIds: [] };
    const want = await collect(generate(m.decoder, prompt, params));
    const got = await collect(m.loop.generate(prompt, { ...params, chunkSize: 4 }));
    assert.equal(want.end, 'context-full');
    assert.deepEqual(got, want);
  });

  test('an aborted signal stops between chunks', async () => {
    const m = loaded.get('genai') ?? assert.fail();
    const controller = new AbortController();
    const it = m.loop.generate(PROMPT, { maxNewTokens: 100, chunkSize: 5, stopTokenIds: [] }, controller.signal);
    let n = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) {
        assert.equal(r.value, 'aborted');
        break;
      }
      if (++n === 5) controller.abort();
    }
    assert.equal(n, 5);
  });
});
