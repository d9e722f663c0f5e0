// `cancerllm build-model` as a function: a model folder from random weights of a given shape (tests, benchmarks)
// or from a Hugging Face checkpoint (config.json + *.safetensors + tokenizer files). Bad input is a message.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkModelShape, parseModelShape, type ModelShape } from '../model-shape.ts';
import type { GraphLayout, MistralGraphOptions, WeightPrecision } from './mistral-graph.ts';
import { writeModelFolder, type WrittenModel } from './model-writer.ts';
import { SafetensorsCheckpoint } from './safetensors.ts';
import { trainTinyTokenizer, type TokenizerFiles } from './tiny-tokenizer.ts';
import { RandomWeights } from './weights.ts';

export interface BuildModelRequest {
  outDir: string;
  source: { kind: 'random'; shape: ModelShape; seed: number } | { kind: 'checkpoint'; dir: string };
  layout: GraphLayout;
  weights: WeightPrecision;
  /** Activations and KV cache; fp16 for GPUs (default: fp16 with fp16 weights, else fp32). */
  activations?: 'fp32' | 'fp16';
}

export type BuildModelResult = { ok: true; shape: ModelShape; written: WrittenModel } | { ok: false; message: string };

/** Smallest vocabulary the generated tokenizer can fill: 5 specials, 256 bytes, the corpus's characters. */
export const MIN_RANDOM_VOCAB = 320;

function readJsonObject(path: string): Record<string, unknown> | string {
  if (!existsSync(path)) return `${path} missing`;
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : `${path} is not a JSON object`;
  } catch (error) {
    return `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function checkpointTokenizer(dir: string): TokenizerFiles | string {
  const json = readJsonObject(join(dir, 'tokenizer.json'));
  if (typeof json === 'string') return `${json} (the checkpoint must include its Hugging Face tokenizer.json)`;
  const config = existsSync(join(dir, 'tokenizer_config.json'))
    ? readJsonObject(join(dir, 'tokenizer_config.json'))
    : {};
  if (typeof config === 'string') return config;
  return { tokenizerJson: json, tokenizerConfig: config };
}

function graphOptions(req: BuildModelRequest): MistralGraphOptions {
  return { layout: req.layout, weights: req.weights, ...(req.activations ? { activations: req.activations } : {}) };
}

export function buildModel(req: BuildModelRequest): BuildModelResult {
  if (req.source.kind === 'random') {
    const shape = req.source.shape;
    const problem = checkModelShape(shape);
    if (problem) return { ok: false, message: problem };
    if (shape.vocabSize < MIN_RANDOM_VOCAB)
      return {
        ok: false,
        message: `vocab size must be at least ${MIN_RANDOM_VOCAB} for a generated tokenizer (got ${shape.vocabSize})`,
      };
    if (req.weights === 'int4' && (shape.hiddenSize % 32 !== 0 || shape.intermediateSize % 32 !== 0))
      return { ok: false, message: 'int4 needs hidden and intermediate sizes that are multiples of 32' };
    const written = writeModelFolder(req.outDir, shape, new RandomWeights(shape, req.source.seed), {
      ...graphOptions(req),
      tokenizer: trainTinyTokenizer(shape.vocabSize),
    });
    return { ok: true, shape, written };
  }
  const dir = req.source.dir;
  const config = readJsonObject(join(dir, 'config.json'));
  if (typeof config === 'string') return { ok: false, message: config };
  const parsed = parseModelShape(config);
  if (!parsed.ok) return { ok: false, message: `${join(dir, 'config.json')}: ${parsed.message}` };
  const tokenizer = checkpointTokenizer(dir);
  if (typeof tokenizer === 'string') return { ok: false, message: tokenizer };
  const opened = SafetensorsCheckpoint.open(dir);
  if (!opened.ok) return opened;
  const checkpoint = opened.checkpoint;
  try {
    const problem = checkpoint.check(parsed.shape);
    if (problem) return { ok: false, message: problem };
    const shape =
      parsed.shape.tieWordEmbeddings || checkpoint.has('lm_head.weight')
        ? parsed.shape
        : { ...parsed.shape, tieWordEmbeddings: true };
    const written = writeModelFolder(req.outDir, shape, checkpoint, {
      ...graphOptions(req),
      tokenizer,
    });
    return { ok: true, shape, written };
  } finally {
    checkpoint.close();
  }
}
