// Where the builder gets weights: Hugging Face tensor names and layouts ([out, in] for linear layers), as fp32.
// Random weights are generated per tensor from (seed, name), so any order of reads gives the same model.
import type { ModelShape } from '../model-shape.ts';

export interface WeightSource {
  /** The tensor in Hugging Face layout as fp32; throws only if the name is unknown to the source. */
  get(name: string): Float32Array;
  has(name: string): boolean;
}

export function layerNames(
  l: number,
): Record<'inNorm' | 'postNorm' | 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down', string> {
  const p = `model.layers.${l}`;
  return {
    inNorm: `${p}.input_layernorm.weight`,
    postNorm: `${p}.post_attention_layernorm.weight`,
    q: `${p}.self_attn.q_proj.weight`,
    k: `${p}.self_attn.k_proj.weight`,
    v: `${p}.self_attn.v_proj.weight`,
    o: `${p}.self_attn.o_proj.weight`,
    gate: `${p}.mlp.gate_proj.weight`,
    up: `${p}.mlp.up_proj.weight`,
    down: `${p}.mlp.down_proj.weight`,
  };
}

/** Every tensor a Mistral checkpoint must hold, with its Hugging Face shape. */
export function expectedTensors(s: ModelShape): Map<string, readonly number[]> {
  const m = new Map<string, readonly number[]>();
  const { hiddenSize: D, numHeads: H, numKvHeads: KV, headDim: hd, intermediateSize: F, vocabSize: V } = s;
  m.set('model.embed_tokens.weight', [V, D]);
  for (let l = 0; l < s.numLayers; l++) {
    const n = layerNames(l);
    m.set(n.inNorm, [D]);
    m.set(n.postNorm, [D]);
    m.set(n.q, [H * hd, D]);
    m.set(n.k, [KV * hd, D]);
    m.set(n.v, [KV * hd, D]);
    m.set(n.o, [D, H * hd]);
    m.set(n.gate, [F, D]);
    m.set(n.up, [F, D]);
    m.set(n.down, [D, F]);
  }
  m.set('model.norm.weight', [D]);
  if (!s.tieWordEmbeddings) m.set('lm_head.weight', [V, D]);
  return m;
}

/** mulberry32: small, fast, seedable; good enough for test weights and sampling. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Random weights scaled so that attention is far from uniform and logits spread over several units: a model that
 * is easy to get subtly wrong (RoPE, masking, GQA head mapping) produces visibly different tokens.
 */
export class RandomWeights implements WeightSource {
  private readonly shapes: Map<string, readonly number[]>;

  constructor(
    private readonly shape: ModelShape,
    private readonly seed: number,
  ) {
    this.shapes = expectedTensors(shape);
  }

  has(name: string): boolean {
    return this.shapes.has(name);
  }

  get(name: string): Float32Array {
    const dims = this.shapes.get(name);
    if (!dims) throw new Error(`no tensor "${name}" in a random ${this.shape.numLayers}-layer model`);
    const n = dims.reduce((a, b) => a * b, 1);
    const rand = mulberry32(this.seed ^ hashName(name));
    const out = new Float32Array(n);
    if (dims.length === 1) {
      for (let i = 0; i < n; i++) out[i] = 1 + 0.2 * (rand() - 0.5);
      return out;
    }
    const fanIn = dims[1] ?? 1;
    const qk = name.endsWith('q_proj.weight') || name.endsWith('k_proj.weight') || name === 'lm_head.weight';
    const std = name === 'model.embed_tokens.weight' ? 1 : (qk ? 2 : 0.5) / Math.sqrt(fanIn);
    // uniform with the given standard deviation: cheaper than Box-Muller for 100M+ weights
    const a = std * Math.sqrt(3) * 2;
    for (let i = 0; i < n; i++) out[i] = (rand() - 0.5) * a;
    return out;
  }
}
