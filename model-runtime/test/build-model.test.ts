// build-model from a Hugging Face checkpoint (safetensors F32/F16/BF16) gives the same model as the same weights
// built directly; bad checkpoints give messages naming the problem.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, statSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../src/builder/build-model.ts';
import { SafetensorsCheckpoint } from '../src/builder/safetensors.ts';
import { RandomWeights, expectedTensors } from '../src/builder/weights.ts';
import { trainTinyTokenizer } from '../src/builder/tiny-tokenizer.ts';
import { floatsToHalf, fromHalf } from '../src/onnx/float16.ts';
import { toHfConfig } from '../src/model-shape.ts';
import { Decoder } from '../src/decoder.ts';
import { TINY_SEED, TINY_SHAPE, maxAbsDiff, tinyModels, type TinyModels } from './tiny-models.ts';

type Dtype = 'F32' | 'F16' | 'BF16';

/** A minimal safetensors writer, independent of the reader under test. */
function writeSafetensors(
  path: string,
  tensors: Map<string, { dims: readonly number[]; data: Float32Array }>,
  dtype: Dtype,
): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    let bytes: Uint8Array;
    if (dtype === 'F32') bytes = new Uint8Array(t.data.buffer.slice(0));
    else if (dtype === 'F16') bytes = new Uint8Array(floatsToHalf(t.data).buffer);
    else bytes = new Uint8Array(Uint16Array.from(new Uint32Array(t.data.buffer.slice(0)), (u) => u >>> 16).buffer);
    header[name] = { dtype, shape: t.dims, data_offsets: [offset, offset + bytes.byteLength] };
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.byteLength));
  writeFileSync(path, Buffer.concat([len, json, ...parts]));
}

describe('build-model', () => {
  let models: TinyModels;
  let n = 0;
  before(() => (models = tinyModels()));
  after(() => models.cleanup());

  function checkpoint(dtype: Dtype): string {
    const dir = join(models.root, `ckpt-${dtype}-${n++}`);
    mkdirSync(dir);
    const w = new RandomWeights(TINY_SHAPE, TINY_SEED);
    const all = [...expectedTensors(TINY_SHAPE)].map(([name, dims]) => [name, { dims, data: w.get(name) }] as const);
    // two shards, as large checkpoints come
    writeSafetensors(join(dir, 'model-00001-of-00002.safetensors'), new Map(all.slice(0, 5)), dtype);
    writeSafetensors(join(dir, 'model-00002-of-00002.safetensors'), new Map(all.slice(5)), dtype);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(toHfConfig(TINY_SHAPE, 'float32')));
    const tok = trainTinyTokenizer(TINY_SHAPE.vocabSize);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.tokenizerJson));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.tokenizerConfig));
    return dir;
  }

  async function logitsOf(dir: string): Promise<Float32Array> {
    const r = await Decoder.load(dir, { executionProvider: 'cpu', threads: 1 });
    if (!r.ok) assert.fail(r.problem.message);
    const cache = r.decoder.newCache();
    const out = await r.decoder.forward([1, 50, 60, 70], cache);
    cache.dispose();
    await r.decoder.dispose();
    return out;
  }

  test('an F32 checkpoint builds the same model as its weights built directly', async () => {
    const out = join(models.root, `from-ckpt-${n++}`);
    const r = buildModel({
      outDir: out,
      source: { kind: 'checkpoint', dir: checkpoint('F32') },
      layout: 'genai',
      weights: 'fp32',
    });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.ok(maxAbsDiff(await logitsOf(out), await logitsOf(models.build('genai', 'fp32'))) <= 1e-6);
  });

  test('F16 and BF16 checkpoints read back to the rounded values', () => {
    const w = new RandomWeights(TINY_SHAPE, TINY_SEED).get('model.norm.weight');
    for (const dtype of ['F16', 'BF16'] as const) {
      const opened = SafetensorsCheckpoint.open(checkpoint(dtype));
      if (!opened.ok) assert.fail(opened.message);
      const got = opened.checkpoint.get('model.norm.weight');
      opened.checkpoint.close();
      // F16 is written rounded (half an ulp); BF16 by truncation (one ulp of an 8-bit mantissa)
      const tolerance = dtype === 'F16' ? 2 ** -11 : 2 ** -7;
      for (let i = 0; i < w.length; i++)
        assert.ok(Math.abs((got[i] ?? 0) - (w[i] ?? 0)) <= tolerance * Math.abs(w[i] ?? 0), `${dtype} ${i}`);
    }
    assert.equal(fromHalf(0x3c00), 1);
  });

  test('a BF16 checkpoint converts to an fp16 optimum folder that loads', async () => {
    const out = join(models.root, `from-ckpt-${n++}`);
    const r = buildModel({
      outDir: out,
      source: { kind: 'checkpoint', dir: checkpoint('BF16') },
      layout: 'optimum',
      weights: 'fp16',
    });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal((await logitsOf(out)).length, 4 * TINY_SHAPE.vocabSize);
  });

  test('a truncated shard is named', () => {
    const dir = checkpoint('F32');
    const shard = join(dir, 'model-00002-of-00002.safetensors');
    truncateSync(shard, statSync(shard).size - 10);
    const r = buildModel({
      outDir: join(models.root, 'never'),
      source: { kind: 'checkpoint', dir },
      layout: 'genai',
      weights: 'fp32',
    });
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.match(
        r.message,
        /^model-00002-of-00002\.safetensors is truncated: tensor lm_head\.weight ends at byte \d+ but the file has \d+$/,
      );
  });

  test('a missing tensor is named', () => {
    const dir = checkpoint('F32');
    rmSync(join(dir, 'model-00001-of-00002.safetensors'));
    const r = buildModel({
      outDir: join(models.root, 'never'),
      source: { kind: 'checkpoint', dir },
      layout: 'genai',
      weights: 'fp32',
    });
    assert.deepEqual(r, { ok: false, message: 'tensor model.embed_tokens.weight missing from the checkpoint' });
  });

  test('a checkpoint without tokenizer.json is refused', () => {
    const dir = join(models.root, `no-tok-${n++}`);
    cpSync(checkpoint('F32'), dir, { recursive: true });
    rmSync(join(dir, 'tokenizer.json'));
    const r = buildModel({
      outDir: join(models.root, 'never'),
      source: { kind: 'checkpoint', dir },
      layout: 'genai',
      weights: 'fp32',
    });
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.match(
        r.message,
        /tokenizer\.json missing \(the checkpoint must include its Hugging Face tokenizer\.json\)/,
      );
  });

  test('a random shape that cannot be built is refused with the reason', () => {
    const r = buildModel({
      outDir: join(models.root, 'never'),
      source: { kind: 'random', shape: { ...TINY_SHAPE, numKvHeads: 3 }, seed: 1 },
      layout: 'genai',
      weights: 'fp32',
    });
    assert.deepEqual(r, { ok: false, message: 'num_attention_heads (4) is not a multiple of num_key_value_heads (3)' });
  });
});
