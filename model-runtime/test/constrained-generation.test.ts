// Constrained generation with a tiny random-weights model: its free output is not JSON, its constrained output
// always is (greedy and sampled), of the requested shape, and closed before max new tokens or the context run out;
// batches and the worker carry the constraint; the decode loop refuses it with a message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder } from '../src/decoder.ts';
import { generate, type DoneReason, type GenerationParams } from '../src/generator.ts';
import { generateBatch } from '../src/batch-generator.ts';
import { GenerationError, LlmWorker } from '../src/llm-worker.ts';
import { TINY_SHAPE, tinyModels, type TinyModels } from './tiny-models.ts';
import { MENTIONS, isMentionList } from './mention-schema.ts';

const constraint = { kind: 'json', schema: MENTIONS } as const;

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('constrained generation', () => {
  let models: TinyModels;
  let decoder: Decoder;
  let prompt: number[];
  before(async () => {
    models = tinyModels();
    const r = await Decoder.load(models.build('genai', 'fp32', { ...TINY_SHAPE, maxPositions: 256 }), {
      executionProvider: 'cpu',
      threads: 1,
    });
    if (!r.ok) assert.fail(r.problem.message);
    decoder = r.decoder;
    prompt = decoder.folder.tokenizer.encode('Pathology showed invasive ductal carcinoma of the left breast.');
  });
  after(async () => {
    await decoder.dispose();
    models.cleanup();
  });

  async function run(
    params: GenerationParams,
    tokens: readonly number[] = prompt,
  ): Promise<{ text: string; reason: DoneReason | 'aborted'; count: number }> {
    const it = generate(decoder, tokens, params);
    let text = '';
    let count = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) return { text, reason: r.value, count };
      text += r.value.text;
      count++;
    }
  }

  test('without the constraint the random model does not write JSON', async () => {
    const free = await run({ maxNewTokens: 64 });
    assert.ok(!parses(free.text), free.text);
  });

  test('greedy constrained output is JSON of the shape and ends when it is complete', async () => {
    const r = await run({ maxNewTokens: 200, constraint });
    assert.ok(isMentionList(JSON.parse(r.text)), r.text);
    assert.equal(r.reason, 'complete');
    assert.ok(r.count <= 200);
  });

  test('sampled constrained output (top-k, top-p, several seeds) always parses and has the shape', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = await run({ maxNewTokens: 120, temperature: 1.2, topK: 40, topP: 0.95, seed, constraint });
      assert.ok(isMentionList(JSON.parse(r.text)), `seed ${seed}: ${r.text}`);
      assert.equal(r.reason, 'complete', `seed ${seed}`);
    }
  });

  test('a small token budget forces the JSON closed within max new tokens', async () => {
    for (const maxNewTokens of [2, 5, 9, 17, 30]) {
      const r = await run({ maxNewTokens, temperature: 1, seed: maxNewTokens, constraint });
      assert.ok(r.count <= maxNewTokens);
      assert.equal(r.reason, 'complete', `${maxNewTokens} tokens: ${r.text}`);
      assert.ok(isMentionList(JSON.parse(r.text)), r.text);
    }
  });

  test('the context limit forces the JSON closed too', async () => {
    const long = Array.from({ length: 256 - 24 }, (_, i) => 10 + (i % 300));
    const r = await run({ maxNewTokens: 500, temperature: 1, seed: 3, constraint }, long);
    assert.equal(r.reason, 'complete', r.text);
    assert.ok(r.count <= 25);
    assert.ok(isMentionList(JSON.parse(r.text)), r.text);
  });

  test('a schema the runtime cannot follow is an error naming the problem', async () => {
    const bad = { kind: 'json', schema: { type: 'number' } } as unknown as GenerationParams['constraint'];
    await assert.rejects(run({ maxNewTokens: 4, constraint: bad }), /JSON schema is not supported: \$: type must be/);
  });

  test('max new tokens too few to close the JSON is refused before any KV tensor is allocated', async () => {
    const newCache = decoder.newCache.bind(decoder);
    let caches = 0;
    decoder.newCache = (batch?: number) => (caches++, newCache(batch));
    try {
      // the shortest mention list is "[]": two characters
      await assert.rejects(
        run({ maxNewTokens: 1, constraint }),
        /^Error: maxNewTokens is 1, but the shortest JSON the constraint's schema allows has 2 characters/,
      );
      const bad = { kind: 'json', schema: { type: 'number' } } as unknown as GenerationParams['constraint'];
      await assert.rejects(run({ maxNewTokens: 4, constraint: bad }), /JSON schema is not supported/);
      assert.equal(caches, 0);
      assert.equal((await run({ maxNewTokens: 2, constraint })).reason, 'complete');
      assert.equal(caches, 1);
    } finally {
      decoder.newCache = newCache;
    }
  });

  test('batched rows are constrained each (optimum layout: rows side by side)', async () => {
    const loaded = await Decoder.load(models.build('optimum', 'fp32', { ...TINY_SHAPE, maxPositions: 256 }), {
      executionProvider: 'cpu',
      threads: 1,
    });
    if (!loaded.ok) assert.fail(loaded.problem.message);
    try {
      const prompts = [prompt, prompt.slice(0, 5), prompt.slice(3)];
      const rows = await generateBatch(loaded.decoder, prompts, {
        maxNewTokens: 60,
        temperature: 1,
        seed: 11,
        constraint,
      });
      for (const row of rows) {
        assert.equal(row.reason, 'complete', row.text);
        assert.ok(isMentionList(JSON.parse(row.text)), row.text);
      }
    } finally {
      await loaded.decoder.dispose();
    }
  });

  test('a batch with max new tokens too few to close the JSON is refused before any KV tensor is allocated', async () => {
    const loaded = await Decoder.load(models.build('optimum', 'fp32', { ...TINY_SHAPE, maxPositions: 256 }), {
      executionProvider: 'cpu',
      threads: 1,
    });
    if (!loaded.ok) assert.fail(loaded.problem.message);
    const batchDecoder = loaded.decoder;
    const newCache = batchDecoder.newCache.bind(batchDecoder);
    let caches = 0;
    batchDecoder.newCache = (batch?: number) => (caches++, newCache(batch));
    try {
      const prompts = [prompt, prompt.slice(0, 5)];
      await assert.rejects(
        generateBatch(batchDecoder, prompts, { maxNewTokens: 1, constraint }),
        /^Error: maxNewTokens is 1, but the shortest JSON the constraint's schema allows has 2 characters/,
      );
      assert.equal(caches, 0);
      const rows = await generateBatch(batchDecoder, prompts, { maxNewTokens: 2, constraint });
      assert.deepEqual(
        rows.map((r) => [r.reason, r.text]),
        [
          ['complete', '[]'],
          ['complete', '[]'],
        ],
      );
      assert.equal(caches, 1);
    } finally {
      batchDecoder.newCache = newCache;
      await batchDecoder.dispose();
    }
  });
});

describe('constrained generation in the worker', () => {
  let models: TinyModels;
  let dir: string;
  before(() => {
    models = tinyModels();
    dir = models.build('genai', 'fp32');
  });
  after(() => models.cleanup());

  test('the constraint travels as data to the worker, which returns JSON of the shape', async () => {
    const opened = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1, strategy: 'steps' });
    if (!opened.ok) assert.fail(opened.problem.message);
    try {
      let text = '';
      const it = opened.worker.generate({ text: 'ER positive.' }, { maxNewTokens: 80, constraint });
      let r = await it.next();
      for (; !r.done; r = await it.next()) text += r.value.text;
      assert.equal(r.value.reason, 'complete');
      assert.ok(isMentionList(JSON.parse(text)), text);
    } finally {
      await opened.worker.dispose();
    }
  });

  test('the decode loop refuses a constraint with a message saying why and what to do', async () => {
    const opened = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1, strategy: 'loop' });
    if (!opened.ok) assert.fail(opened.problem.message);
    try {
      assert.equal(opened.worker.info.strategy, 'loop');
      const drain = async (): Promise<number> => {
        let chunks = 0;
        for await (const chunk of opened.worker.generate({ text: 'ER positive.' }, { maxNewTokens: 8, constraint }))
          chunks += chunk.token >= 0 ? 1 : 0;
        return chunks;
      };
      await assert.rejects(
        drain(),
        (e: unknown) =>
          e instanceof GenerationError &&
          /samples inside the ONNX graph; open it with strategy 'steps'/.test(e.message),
      );
      await assert.rejects(
        opened.worker.generateBatch([{ text: 'ER positive.' }], { maxNewTokens: 8, constraint }),
        /constrained \(JSON\) decoding needs host sampling/,
      );
    } finally {
      await opened.worker.dispose();
    }
  });
});
