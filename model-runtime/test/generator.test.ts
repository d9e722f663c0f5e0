// Generation in steps and as a stream: greedy and seeded sampling, stop strings, limits, cancellation, cleanup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextLengthError, Decoder } from '../src/decoder.ts';
import { Generator, generate, type GenerationChunk } from '../src/generator.ts';
import { tinyModels, type TinyModels } from './tiny-models.ts';

describe('generator', () => {
  let models: TinyModels;
  let decoder: Decoder;
  const prompt = [1, 37, 200, 5, 99];
  before(async () => {
    models = tinyModels();
    const r = await Decoder.load(models.build('genai', 'fp32'), { executionProvider: 'cpu', threads: 1 });
    if (!r.ok) assert.fail(r.problem.message);
    decoder = r.decoder;
  });
  after(async () => {
    await decoder.dispose();
    models.cleanup();
  });

  async function collect(
    params: Parameters<typeof generate>[2],
    signal?: AbortSignal,
  ): Promise<{ chunks: GenerationChunk[]; reason: string }> {
    const chunks: GenerationChunk[] = [];
    const it = generate(decoder, prompt, params, signal);
    for (;;) {
      const r = await it.next();
      if (r.done) return { chunks, reason: r.value };
      chunks.push(r.value);
    }
  }

  test('greedy generation stops after maxNewTokens and is deterministic', async () => {
    const a = await collect({ maxNewTokens: 8, stopTokenIds: [] });
    const b = await collect({ maxNewTokens: 8, stopTokenIds: [] });
    assert.equal(a.reason, 'max-new-tokens');
    assert.equal(a.chunks.length, 8);
    assert.deepEqual(b.chunks, a.chunks);
  });

  test('the steps API gives the same tokens as generate()', async () => {
    const streamed = (await collect({ maxNewTokens: 6, stopTokenIds: [] })).chunks.map((c) => c.token);
    const g = new Generator(decoder, { maxNewTokens: 6, stopTokenIds: [] });
    try {
      await g.appendTokens(prompt);
      while (!g.isDone()) await g.step();
      assert.deepEqual(g.newTokens, streamed);
    } finally {
      g.dispose();
    }
  });

  test('seeded sampling repeats with the same seed and differs with another', async () => {
    const params = { maxNewTokens: 12, temperature: 1.5, topK: 50, topP: 0.95, stopTokenIds: [] };
    const a = (await collect({ ...params, seed: 7 })).chunks.map((c) => c.token);
    const b = (await collect({ ...params, seed: 7 })).chunks.map((c) => c.token);
    const c = (await collect({ ...params, seed: 8 })).chunks.map((c) => c.token);
    assert.deepEqual(b, a);
    assert.notDeepEqual(c, a);
  });

  test('an end-of-sequence token ends generation', async () => {
    const first = (await collect({ maxNewTokens: 3, stopTokenIds: [] })).chunks[1]?.token ?? assert.fail();
    const r = await collect({ maxNewTokens: 10, stopTokenIds: [first] });
    assert.equal(r.reason, 'eos');
    assert.equal(r.chunks.at(-1)?.token, first);
  });

  test('a stop string ends generation and is cut from the text', async () => {
    const free = await collect({ maxNewTokens: 10, stopTokenIds: [] });
    const text = free.chunks.map((c) => c.text).join('');
    const stop = text.slice(4, 7);
    assert.ok(stop.length === 3, `need some text to stop on, got "${text}"`);
    const r = await collect({ maxNewTokens: 10, stopTokenIds: [], stopStrings: [stop] });
    assert.equal(r.reason, 'stop-string');
    assert.equal(r.chunks.map((c) => c.text).join(''), text.slice(0, text.indexOf(stop)));
  });

  test('a prompt longer than the context is a ContextLengthError, not a truncation', async () => {
    const long = new Array<number>(decoder.folder.contextLength + 1).fill(5);
    const g = new Generator(decoder, { maxNewTokens: 1 });
    try {
      await assert.rejects(
        g.appendTokens(long),
        (e: unknown) =>
          e instanceof ContextLengthError &&
          /the prompt needs 130 tokens but the model's context holds 128/.test(e.message),
      );
    } finally {
      g.dispose();
    }
  });

  test('an empty prompt is refused, not continued from nothing', async () => {
    const g = new Generator(decoder, { maxNewTokens: 1 });
    try {
      await assert.rejects(
        g.appendTokens([]),
        /^Error: appendTokens\(\) needs at least one token: an empty prompt has nothing to continue$/,
      );
      await assert.rejects(g.step(), /step\(\) before appendTokens\(\)/);
    } finally {
      g.dispose();
    }
  });

  test('generation ends when the context is full', async () => {
    const g = new Generator(decoder, { maxNewTokens: 100, stopTokenIds: [] });
    try {
      await g.appendTokens(new Array<number>(decoder.folder.contextLength - 4).fill(5));
      while (!g.isDone()) await g.step();
      assert.equal(g.doneReason, 'context-full');
      // the last token fills the context exactly; the one after it cannot be run
      assert.equal(g.newTokens.length, 5);
    } finally {
      g.dispose();
    }
  });

  test('an aborted signal stops the stream before the next step', async () => {
    const controller = new AbortController();
    const chunks: GenerationChunk[] = [];
    const it = generate(decoder, prompt, { maxNewTokens: 50, stopTokenIds: [] }, controller.signal);
    for (;;) {
      const r = await it.next();
      if (r.done) {
        assert.equal(r.value, 'aborted');
        break;
      }
      chunks.push(r.value);
      if (chunks.length === 3) controller.abort();
    }
    assert.equal(chunks.length, 3);
  });

  test('a disposed generator refuses to run', async () => {
    const g = new Generator(decoder, { maxNewTokens: 2 });
    g.dispose();
    await assert.rejects(g.appendTokens(prompt), /used after dispose/);
  });
});
