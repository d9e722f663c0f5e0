// A model folder parses into typed data, and each kind of broken folder gives a message naming the problem.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelFolder, type ModelFolderProblem } from '../src/model-folder.ts';
import { TINY_SHAPE, tinyModels, type TinyModels } from './tiny-models.ts';

describe('model folder', () => {
  let models: TinyModels;
  let genai: string;
  let optimum: string;
  let n = 0;
  before(() => {
    models = tinyModels();
    genai = models.build('genai', 'fp32');
    optimum = models.build('optimum', 'int4');
  });
  after(() => models.cleanup());

  /** A copy of a good folder with one thing broken. */
  function broken(from: string, breakIt: (dir: string) => void): string {
    const dir = join(models.root, `broken-${n++}`);
    cpSync(from, dir, { recursive: true });
    breakIt(dir);
    return dir;
  }

  async function problemOf(dir: string): Promise<ModelFolderProblem> {
    const r = await parseModelFolder(dir);
    if (r.ok) assert.fail(`expected a problem for ${dir}`);
    return r.problem;
  }

  test('an onnxruntime-genai folder parses with names and shapes from genai_config.json', async () => {
    const r = await parseModelFolder(genai);
    assert.ok(r.ok, r.ok ? '' : r.problem.message);
    const f = r.folder;
    assert.equal(f.layout, 'genai');
    assert.deepEqual(
      {
        layers: f.numLayers,
        kv: f.numKvHeads,
        hd: f.headDim,
        vocab: f.vocabSize,
        ctx: f.contextLength,
        kvType: f.kvType,
        weights: f.weights,
        pos: f.io.positionIds,
      },
      {
        layers: 2,
        kv: 2,
        hd: 16,
        vocab: 512,
        ctx: TINY_SHAPE.maxPositions,
        kvType: 'float32',
        weights: 'fp32',
        pos: undefined,
      },
    );
    assert.deepEqual(f.io.pastKeys, ['past_key_values.0.key', 'past_key_values.1.key']);
    assert.deepEqual(f.io.presentValues, ['present.0.value', 'present.1.value']);
    assert.ok(f.weightBytes > 500_000);
  });

  test('a Hugging Face Optimum folder parses, with position_ids and int4 weights detected', async () => {
    const r = await parseModelFolder(optimum);
    assert.ok(r.ok, r.ok ? '' : r.problem.message);
    assert.equal(r.folder.layout, 'optimum');
    assert.equal(r.folder.io.positionIds, 'position_ids');
    assert.equal(r.folder.weights, 'int4');
    assert.ok(r.folder.modelPath.endsWith(join('onnx', 'model.onnx')));
  });

  test('a folder that does not exist', async () => {
    const p = await problemOf(join(models.root, 'nowhere'));
    assert.equal(p.kind, 'missing-file');
    assert.match(p.message, /nowhere does not exist/);
  });

  test('a missing tokenizer.json', async () => {
    const p = await problemOf(broken(genai, (d) => rmSync(join(d, 'tokenizer.json'))));
    assert.equal(p.kind, 'missing-file');
    assert.match(p.message, /^tokenizer\.json missing in /);
  });

  test('a missing model.onnx named by genai_config.json', async () => {
    const p = await problemOf(broken(genai, (d) => rmSync(join(d, 'model.onnx'))));
    assert.equal(p.kind, 'missing-file');
    assert.match(p.message, /model\.onnx missing in .*named by genai_config\.json/);
  });

  test('a missing external data file', async () => {
    const p = await problemOf(broken(genai, (d) => rmSync(join(d, 'model.onnx.data'))));
    assert.equal(p.kind, 'missing-file');
    assert.match(p.message, /model\.onnx\.data missing in .*external data of model\.onnx/);
  });

  test('truncated external data', async () => {
    const p = await problemOf(
      broken(optimum, (d) => {
        const data = join(d, 'onnx', 'model.onnx_data');
        truncateSync(data, statSync(data).size - 100);
      }),
    );
    assert.equal(p.kind, 'truncated-data');
    assert.match(p.message, /model\.onnx_data is truncated: \d+ bytes, but model\.onnx needs \d+/);
  });

  test('an unreadable genai_config.json', async () => {
    const p = await problemOf(broken(genai, (d) => writeFileSync(join(d, 'genai_config.json'), '{"model": ')));
    assert.equal(p.kind, 'invalid-config');
    assert.match(p.message, /genai_config\.json is not valid JSON/);
  });

  test('a config without the number of layers', async () => {
    const p = await problemOf(
      broken(optimum, (d) => {
        const cfg = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
        delete cfg.num_hidden_layers;
        writeFileSync(join(d, 'config.json'), JSON.stringify(cfg));
      }),
    );
    assert.equal(p.kind, 'invalid-config');
    assert.equal(p.message, 'config.json: num_hidden_layers is missing or not a positive integer');
  });

  test('a config whose key/value heads disagree with the graph', async () => {
    const p = await problemOf(
      broken(optimum, (d) => {
        const cfg = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
        cfg.num_key_value_heads = 4;
        writeFileSync(join(d, 'config.json'), JSON.stringify(cfg));
      }),
    );
    assert.equal(p.kind, 'wrong-shape');
    assert.equal(
      p.message,
      'model.onnx: past_key_values.0.key is [batch_size, 2, past_sequence_length, 16] but config.json says 4 key/value heads of size 16',
    );
  });

  test('a config with more layers than the graph', async () => {
    const p = await problemOf(
      broken(genai, (d) => {
        const cfg = JSON.parse(readFileSync(join(d, 'genai_config.json'), 'utf8')) as {
          model: { decoder: { num_hidden_layers: number } };
        };
        cfg.model.decoder.num_hidden_layers = 3;
        writeFileSync(join(d, 'genai_config.json'), JSON.stringify(cfg));
      }),
    );
    assert.equal(p.kind, 'wrong-shape');
    assert.equal(p.message, 'model.onnx has no input "past_key_values.2.key" (genai_config.json says 3 layers)');
  });

  test('a vocabulary that disagrees with the logits', async () => {
    const p = await problemOf(
      broken(optimum, (d) => {
        const cfg = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
        cfg.vocab_size = 1000;
        writeFileSync(join(d, 'config.json'), JSON.stringify(cfg));
      }),
    );
    assert.equal(p.kind, 'wrong-shape');
    assert.match(p.message, /logits are \[batch_size, sequence_length, 512\] but config\.json says vocab_size 1000/);
  });

  test('a model.onnx that is not ONNX', async () => {
    const p = await problemOf(broken(genai, (d) => writeFileSync(join(d, 'model.onnx'), 'not a model at all')));
    assert.equal(p.kind, 'invalid-graph');
    assert.match(p.message, /model\.onnx is not a valid ONNX model/);
  });

  test('a folder in no known layout', async () => {
    const p = await problemOf(
      broken(genai, (d) => {
        rmSync(join(d, 'genai_config.json'));
        rmSync(join(d, 'model.onnx'));
      }),
    );
    assert.equal(p.kind, 'unknown-layout');
    assert.match(
      p.message,
      /is not a model folder: no genai_config\.json \(onnxruntime-genai\) and no onnx\/model\.onnx or model\.onnx \(Hugging Face Optimum\)/,
    );
  });

  test('a tokenizer.json that is not a tokenizer', async () => {
    const p = await problemOf(
      broken(genai, (d) => writeFileSync(join(d, 'tokenizer.json'), '{"model": {"type": "Nonsense"}}')),
    );
    assert.equal(p.kind, 'invalid-tokenizer');
    assert.match(p.message, /tokenizer\.json: tokenizer\.json cannot be loaded/);
  });
});
