// The model runs in a worker_thread: the caller's event loop keeps ticking, results equal the in-thread generator,
// cancellation ends a stream early, and a broken folder is a problem value.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Decoder } from '../src/decoder.ts';
import { generate } from '../src/generator.ts';
import { GenerationError, LlmWorker } from '../src/llm-worker.ts';
import { TINY_SHAPE, tinyModels, type TinyModels } from './tiny-models.ts';
import type { GenerationChunk } from '../src/generator.ts';

describe('LlmWorker', () => {
  let models: TinyModels;
  let dir: string;
  let worker: LlmWorker;
  before(async () => {
    models = tinyModels();
    // big enough that one decode step takes measurable time
    dir = models.build('genai', 'fp32', {
      ...TINY_SHAPE,
      hiddenSize: 256,
      intermediateSize: 512,
      numLayers: 4,
      numHeads: 8,
      numKvHeads: 2,
      headDim: 32,
      maxPositions: 512,
    });
    const r = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1 });
    if (!r.ok) assert.fail(r.problem.message);
    worker = r.worker;
  });
  after(async () => {
    await worker.dispose();
    models.cleanup();
  });

  test('reports what it loaded', () => {
    assert.deepEqual(
      { ...worker.info, path: '' },
      {
        path: '',
        layout: 'genai',
        provider: 'cpu',
        strategy: 'steps',
        contextLength: 512,
        vocabSize: 512,
        weights: 'fp32',
        weightBytes: worker.info.weightBytes,
      },
    );
  });

  test('streams the same tokens as the in-thread generator', async () => {
    const params = { maxNewTokens: 6, stopTokenIds: [] };
    const tokens = await worker.encode({ text: 'The patient presented with a mass' });
    const got: number[] = [];
    const it = worker.generate({ tokens }, params);
    let r = await it.next();
    for (; !r.done; r = await it.next()) got.push(r.value.token);
    assert.deepEqual(r.value, { reason: 'max-new-tokens', promptTokens: tokens.length });
    const loaded = await Decoder.load(dir, { executionProvider: 'cpu', threads: 1 });
    if (!loaded.ok) assert.fail();
    const want: number[] = [];
    for await (const c of generate(loaded.decoder, tokens, params)) want.push(c.token);
    await loaded.decoder.dispose();
    assert.deepEqual(got, want);
  });

  test("the caller's event loop is not blocked while the worker generates", async () => {
    // one long prefill: run() on this thread would hold the loop for all of it (one tick at best)
    const prompt = { tokens: Array.from({ length: 480 }, (_, i) => 5 + ((i * 31) % 500)) };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    for await (const chunk of worker.generate(prompt, { maxNewTokens: 2, stopTokenIds: [] })) void chunk;
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // generous slack: on a loaded 2-core machine this thread is not always scheduled either
    assert.ok(ticks >= Math.max(3, (elapsed / 5) * 0.1), `${ticks} ticks in ${elapsed.toFixed(0)} ms`);
  });

  test('aborting ends the stream early with reason "aborted"', async () => {
    const controller = new AbortController();
    const chunks: GenerationChunk[] = [];
    const it = worker.generate(
      { text: 'Lymph nodes were negative.' },
      { maxNewTokens: 400, stopTokenIds: [] },
      controller.signal,
    );
    let r = await it.next();
    for (; !r.done; r = await it.next()) {
      chunks.push(r.value);
      if (chunks.length === 2) controller.abort();
    }
    assert.equal(r.value.reason, 'aborted');
    // the worker stops at the first step boundary after the cancel message arrives; chunks already in flight
    // (a step of this model takes about a millisecond) may still be delivered
    assert.ok(chunks.length < 100, `${chunks.length} chunks after abort`);
  });

  test('a chat prompt longer than the context fails with ContextLengthError', async () => {
    const long = 'carcinoma '.repeat(400);
    await assert.rejects(
      (async () => {
        for await (const c of worker.generate({ messages: [{ role: 'user', content: long }] }, { maxNewTokens: 4 }))
          void c;
      })(),
      (e: unknown) =>
        e instanceof GenerationError &&
        e.name === 'ContextLengthError' &&
        /but the model's context holds 512/.test(e.message),
    );
  });

  test("strategy 'loop' (decode loop in the worker) streams the same tokens as 'steps'", async () => {
    const params = { maxNewTokens: 10, stopTokenIds: [], temperature: 1.2, topK: 20, seed: 5 };
    const tokensOf = async (w: LlmWorker): Promise<number[]> => {
      const out: number[] = [];
      for await (const c of w.generate({ text: 'Pathology showed invasive carcinoma.' }, params)) out.push(c.token);
      return out;
    };
    const r = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1, strategy: 'loop', chunkSize: 4 });
    if (!r.ok) assert.fail(r.problem.message);
    try {
      assert.equal(r.worker.info.strategy, 'loop');
      assert.deepEqual(await tokensOf(r.worker), await tokensOf(worker));
    } finally {
      await r.worker.dispose();
    }
  });

  test('a batch job returns one result per prompt, in order, equal to streaming each prompt', async () => {
    const prompts = [
      { text: 'Lymph nodes were negative.' },
      { messages: [{ role: 'user' as const, content: 'What stage?' }] },
    ];
    const params = { maxNewTokens: 5, stopTokenIds: [] };
    const results = await worker.generateBatch(prompts, params);
    assert.equal(results.length, 2);
    for (let i = 0; i < prompts.length; i++) {
      const tokens: number[] = [];
      for await (const c of worker.generate(prompts[i] ?? { text: '' }, params)) tokens.push(c.token);
      assert.deepEqual(results[i]?.tokens, tokens);
    }
  });

  test('a user request queued behind background work runs before it', async () => {
    const order: string[] = [];
    const drain = async (name: string, it: AsyncGenerator<GenerationChunk, unknown>): Promise<void> => {
      for (let r = await it.next(); !r.done; r = await it.next()) void r;
      order.push(name);
    };
    const params = { maxNewTokens: 20, stopTokenIds: [] };
    const first = drain(
      'background 1',
      worker.generate({ text: 'The tumor' }, params, undefined, { priority: 'background' }),
    );
    const second = drain(
      'background 2',
      worker.generate({ text: 'The tumor' }, params, undefined, { priority: 'background' }),
    );
    const user = drain('user', worker.generate({ text: 'The tumor' }, params));
    await Promise.all([first, second, user]);
    assert.deepEqual(order, ['background 1', 'user', 'background 2']);
  });

  test('dispose() ends the running request and answers the queued ones', async () => {
    const r = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1 });
    if (!r.ok) assert.fail(r.problem.message);
    const params = { maxNewTokens: 400, stopTokenIds: [] };
    const running = r.worker.generate({ text: 'The tumor' }, params);
    const first = await running.next();
    assert.equal(first.done, false);
    const queued = r.worker.generateBatch([{ text: 'Stage' }], params);
    await r.worker.dispose();
    let end = await running.next();
    while (!end.done) end = await running.next();
    assert.equal(end.value.reason, 'aborted');
    await assert.rejects(queued, /the model was disposed/);
  });

  test('a broken folder gives the problem, not a crashed worker', async () => {
    const r = await LlmWorker.open(join(models.root, 'missing'), { executionProvider: 'cpu' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.problem.kind, 'missing-file');
  });
});
