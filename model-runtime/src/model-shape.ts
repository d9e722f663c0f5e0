// The shape of a Mistral-architecture decoder, read from a Hugging Face config.json (or written into one).
// Errors are values: parseModelShape returns a message naming the bad field instead of throwing.

export interface ModelShape {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  ropeTheta: number;
  rmsNormEps: number;
  maxPositions: number;
  tieWordEmbeddings: boolean;
  bosTokenId: number;
  eosTokenIds: readonly number[];
}

export const SUPPORTED_ARCHITECTURES = ['mistral', 'llama'] as const;

export type ShapeResult = { ok: true; shape: ModelShape } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the invariants the graph builder and runtime rely on (heads divide evenly, even head size). */
export function checkModelShape(s: ModelShape): string | undefined {
  for (const key of [
    'vocabSize',
    'hiddenSize',
    'intermediateSize',
    'numLayers',
    'numHeads',
    'numKvHeads',
    'headDim',
    'maxPositions',
  ] as const) {
    if (!Number.isInteger(s[key]) || s[key] <= 0) return `${key} must be a positive integer (got ${String(s[key])})`;
  }
  if (s.numHeads % s.numKvHeads !== 0)
    return `num_attention_heads (${s.numHeads}) is not a multiple of num_key_value_heads (${s.numKvHeads})`;
  if (s.headDim % 2 !== 0) return `head_dim (${s.headDim}) must be even for rotary embeddings`;
  if (!(s.rmsNormEps > 0)) return `rms_norm_eps must be positive (got ${s.rmsNormEps})`;
  if (!(s.ropeTheta > 0)) return `rope_theta must be positive (got ${s.ropeTheta})`;
  return undefined;
}

export function parseModelShape(json: unknown): ShapeResult {
  if (!isRecord(json)) return { ok: false, message: 'is not a JSON object' };
  const modelType = json.model_type;
  if (typeof modelType === 'string' && !(SUPPORTED_ARCHITECTURES as readonly string[]).includes(modelType)) {
    return {
      ok: false,
      message: `model_type "${modelType}" is not supported (expected one of: ${SUPPORTED_ARCHITECTURES.join(', ')})`,
    };
  }
  const int = (key: string): number | string => {
    const v = json[key];
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : `${key} is missing or not a positive integer`;
  };
  const fields = {
    vocabSize: int('vocab_size'),
    hiddenSize: int('hidden_size'),
    intermediateSize: int('intermediate_size'),
    numLayers: int('num_hidden_layers'),
    numHeads: int('num_attention_heads'),
  };
  for (const v of Object.values(fields)) if (typeof v === 'string') return { ok: false, message: v };
  const f = fields as Record<keyof typeof fields, number>;
  const kv = json.num_key_value_heads ?? f.numHeads;
  const headDim = json.head_dim ?? f.hiddenSize / f.numHeads;
  const eos = json.eos_token_id;
  const eosTokenIds =
    typeof eos === 'number' ? [eos] : Array.isArray(eos) ? eos.filter((e): e is number => typeof e === 'number') : [];
  const shape: ModelShape = {
    ...f,
    numKvHeads: typeof kv === 'number' ? kv : NaN,
    headDim: typeof headDim === 'number' ? headDim : NaN,
    ropeTheta: typeof json.rope_theta === 'number' ? json.rope_theta : 10000,
    rmsNormEps: typeof json.rms_norm_eps === 'number' ? json.rms_norm_eps : 1e-5,
    maxPositions: typeof json.max_position_embeddings === 'number' ? json.max_position_embeddings : 4096,
    tieWordEmbeddings: json.tie_word_embeddings === true,
    bosTokenId: typeof json.bos_token_id === 'number' ? json.bos_token_id : 1,
    eosTokenIds,
  };
  const problem = checkModelShape(shape);
  return problem ? { ok: false, message: problem } : { ok: true, shape };
}

/** The Hugging Face config.json for a shape, so transformers.js and other tools can read the folder. */
export function toHfConfig(s: ModelShape, torchDtype: string): Record<string, unknown> {
  return {
    architectures: ['MistralForCausalLM'],
    model_type: 'mistral',
    vocab_size: s.vocabSize,
    hidden_size: s.hiddenSize,
    intermediate_size: s.intermediateSize,
    num_hidden_layers: s.numLayers,
    num_attention_heads: s.numHeads,
    num_key_value_heads: s.numKvHeads,
    head_dim: s.headDim,
    hidden_act: 'silu',
    max_position_embeddings: s.maxPositions,
    rms_norm_eps: s.rmsNormEps,
    rope_theta: s.ropeTheta,
    sliding_window: null,
    tie_word_embeddings: s.tieWordEmbeddings,
    bos_token_id: s.bosTokenId,
    eos_token_id: s.eosTokenIds.length === 1 ? s.eosTokenIds[0] : s.eosTokenIds,
    torch_dtype: torchDtype,
  };
}
