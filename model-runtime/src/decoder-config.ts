// The decoder's description as its folder's config gives it: genai_config.json (onnxruntime-genai) or config.json
// (Hugging Face). Missing or malformed fields are problem values naming the file and field.
import type { ModelFolderProblem } from './model-folder.ts';

type Json = Record<string, unknown>;

const fail = (message: string): { ok: false; problem: ModelFolderProblem } => ({
  ok: false,
  problem: { kind: 'invalid-config', message },
});

export interface DecoderConfig {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  contextLength: number;
  bosTokenId: number;
  eosTokenIds: number[];
  names: {
    inputIds: string;
    attentionMask: string;
    logits: string;
    pastKey: string;
    pastValue: string;
    presentKey: string;
    presentValue: string;
  };
}

const positiveInt = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
const ids = (v: unknown): number[] =>
  typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
const rec = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);

export function genaiDecoder(
  file: string,
  cfg: Json,
): { ok: true; value: DecoderConfig & { filename: string } } | { ok: false; problem: ModelFolderProblem } {
  const model = rec(cfg.model);
  const dec = rec(model.decoder);
  const need = {
    num_hidden_layers: dec.num_hidden_layers,
    num_key_value_heads: dec.num_key_value_heads,
    head_size: dec.head_size,
    vocab_size: model.vocab_size,
  };
  for (const [key, v] of Object.entries(need)) {
    if (positiveInt(v) !== undefined) continue;
    const where = key === 'vocab_size' ? 'model' : 'model.decoder';
    return fail(`${file}: ${where}.${key} is missing or not a positive integer`);
  }
  const inputs = rec(dec.inputs);
  const outputs = rec(dec.outputs);
  return {
    ok: true,
    value: {
      filename: text(dec.filename, 'model.onnx'),
      numLayers: positiveInt(dec.num_hidden_layers) ?? 0,
      numKvHeads: positiveInt(dec.num_key_value_heads) ?? 0,
      headDim: positiveInt(dec.head_size) ?? 0,
      vocabSize: positiveInt(model.vocab_size) ?? 0,
      contextLength: positiveInt(model.context_length) ?? positiveInt(rec(cfg.search).max_length) ?? 4096,
      bosTokenId: typeof model.bos_token_id === 'number' ? model.bos_token_id : 1,
      eosTokenIds: ids(model.eos_token_id),
      names: {
        inputIds: text(inputs.input_ids, 'input_ids'),
        attentionMask: text(inputs.attention_mask, 'attention_mask'),
        logits: text(outputs.logits, 'logits'),
        pastKey: text(inputs.past_key_names, 'past_key_values.%d.key'),
        pastValue: text(inputs.past_value_names, 'past_key_values.%d.value'),
        presentKey: text(outputs.present_key_names, 'present.%d.key'),
        presentValue: text(outputs.present_value_names, 'present.%d.value'),
      },
    },
  };
}

export function optimumDecoder(
  file: string,
  cfg: Json,
): { ok: true; value: DecoderConfig } | { ok: false; problem: ModelFolderProblem } {
  for (const key of ['num_hidden_layers', 'num_attention_heads', 'hidden_size', 'vocab_size']) {
    if (positiveInt(cfg[key]) === undefined) return fail(`${file}: ${key} is missing or not a positive integer`);
  }
  const heads = positiveInt(cfg.num_attention_heads) ?? 1;
  return {
    ok: true,
    value: {
      numLayers: positiveInt(cfg.num_hidden_layers) ?? 0,
      numKvHeads: positiveInt(cfg.num_key_value_heads) ?? heads,
      headDim: positiveInt(cfg.head_dim) ?? (positiveInt(cfg.hidden_size) ?? 0) / heads,
      vocabSize: positiveInt(cfg.vocab_size) ?? 0,
      contextLength: positiveInt(cfg.max_position_embeddings) ?? 4096,
      bosTokenId: typeof cfg.bos_token_id === 'number' ? cfg.bos_token_id : 1,
      eosTokenIds: ids(cfg.eos_token_id),
      names: {
        inputIds: 'input_ids',
        attentionMask: 'attention_mask',
        logits: 'logits',
        pastKey: 'past_key_values.%d.key',
        pastValue: 'past_key_values.%d.value',
        presentKey: 'present.%d.key',
        presentValue: 'present.%d.value',
      },
    },
  };
}
