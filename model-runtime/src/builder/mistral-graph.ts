// Writes a Mistral-architecture decoder (RMSNorm, rotary embeddings, grouped-query attention, SiLU-gated MLP)
// as an ONNX graph in one of two layouts:
//   genai   — onnxruntime-genai model-builder style: SimplifiedLayerNormalization + com.microsoft
//             GroupQueryAttention (rotary inside, positions from the attention mask); no position_ids.
//   optimum — Hugging Face Optimum style: standard opset-17 ops only, position_ids input.
// Both take input_ids, attention_mask, past_key_values.{i}.key|value [B, kvHeads, past, headDim] and return
// logits [B, S, vocab] (always float32) and present.{i}.key|value [B, kvHeads, total, headDim].
import { GraphBuilder, attr, bytesOf, type TensorStore } from '../onnx/graph-builder.ts';
import { floatsToHalf } from '../onnx/float16.ts';
import { DataType, type ModelProto } from '../onnx/onnx-proto.ts';
import type { ModelShape } from '../model-shape.ts';
import { INT4_BLOCK, quantizeInt4 } from './quantize.ts';
import { layerNames, type WeightSource } from './weights.ts';

export type GraphLayout = 'genai' | 'optimum';
export type WeightPrecision = 'fp32' | 'fp16' | 'int4';

export interface MistralGraphOptions {
  layout: GraphLayout;
  weights: WeightPrecision;
  /** Activation and KV-cache type; fp16 for GPUs. Defaults to fp16 for fp16 weights, else fp32. */
  activations?: 'fp32' | 'fp16';
  /** MatMulNBits accuracy_level: 0 = activations in their own type, 4 = int8 activations (faster on CPU). */
  int4AccuracyLevel?: 0 | 4;
}

export const IO_NAMES = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  positionIds: 'position_ids',
  logits: 'logits',
  pastKey: 'past_key_values.%d.key',
  pastValue: 'past_key_values.%d.value',
  presentKey: 'present.%d.key',
  presentValue: 'present.%d.value',
} as const;

export const nameAt = (pattern: string, layer: number): string => pattern.replace('%d', String(layer));

/** [rows, cols] → [cols, rows], in 64×64 tiles so both sides stay in cache (7B has 224 such matrices). */
function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  const T = 64;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = w[r * cols + c] ?? 0;
    }
  }
  return out;
}

class MistralGraph {
  readonly g: GraphBuilder;
  private readonly act: number;
  private cos = '';
  private sin = '';
  private mask = '';
  private seqlensK = '';
  private totalLen = '';

  constructor(
    private readonly s: ModelShape,
    private readonly src: WeightSource,
    private readonly o: Required<MistralGraphOptions>,
    store: TensorStore,
  ) {
    this.g = new GraphBuilder(store);
    this.act = o.activations === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;
  }

  /** A float tensor in the activation type. */
  private floats(name: string, dims: readonly number[], data: Float32Array): string {
    const bytes = this.act === DataType.FLOAT16 ? bytesOf(floatsToHalf(data)) : bytesOf(data);
    return this.g.weight(name, this.act, dims, bytes);
  }

  private scalar(v: number): string {
    return this.act === DataType.FLOAT16
      ? this.g.op('Cast', [this.g.f32([v], [])], { to: attr.i(DataType.FLOAT16) })
      : this.g.f32([v], []);
  }

  /** x · Wᵀ for a Hugging Face [out, in] weight. */
  private linear(x: string, hfName: string, out: number, inDim: number): string {
    const w = this.src.get(hfName);
    const base = hfName.replace(/\.weight$/, '');
    if (this.o.weights === 'int4') {
      const q = quantizeInt4(w, out, inDim);
      const b = this.g.weight(
        `${base}.MatMulNBits.qweight`,
        DataType.UINT8,
        [out, q.blocksPerRow, INT4_BLOCK / 2],
        q.packed,
      );
      const sc = this.floats(`${base}.MatMulNBits.scales`, [out * q.blocksPerRow], q.scales);
      const attrs = {
        K: attr.i(inDim),
        N: attr.i(out),
        bits: attr.i(4),
        block_size: attr.i(INT4_BLOCK),
        accuracy_level: attr.i(this.o.int4AccuracyLevel),
      };
      return this.g.op('MatMulNBits', [x, b, sc], attrs, 'com.microsoft');
    }
    return this.g.op('MatMul', [x, this.floats(`${base}.weight_t`, [inDim, out], transpose(w, out, inDim))]);
  }

  private rmsNorm(x: string, hfName: string): string {
    const w = this.floats(hfName, [this.s.hiddenSize], this.src.get(hfName));
    if (this.o.layout === 'genai') {
      return this.g.op('SimplifiedLayerNormalization', [x, w], {
        axis: attr.i(-1),
        epsilon: attr.f(this.s.rmsNormEps),
      });
    }
    const g = this.g;
    // mean of squares in fp32 even for fp16 activations: squares of large activations overflow half
    const x32 = this.act === DataType.FLOAT16 ? g.op('Cast', [x], { to: attr.i(DataType.FLOAT) }) : x;
    const ms = g.op('ReduceMean', [g.op('Mul', [x32, x32])], { axes: attr.ints([-1]), keepdims: attr.i(1) });
    const normed32 = g.op('Div', [x32, g.op('Sqrt', [g.op('Add', [ms, g.f32([this.s.rmsNormEps], [])])])]);
    const normed =
      this.act === DataType.FLOAT16 ? g.op('Cast', [normed32], { to: attr.i(DataType.FLOAT16) }) : normed32;
    return g.op('Mul', [normed, w]);
  }

  private ropeTables(): { cos: Float32Array; sin: Float32Array } {
    const half = this.s.headDim / 2;
    const cos = new Float32Array(this.s.maxPositions * half);
    const sin = new Float32Array(this.s.maxPositions * half);
    for (let p = 0; p < this.s.maxPositions; p++) {
      for (let i = 0; i < half; i++) {
        const angle = p / Math.pow(this.s.ropeTheta, (2 * i) / this.s.headDim);
        cos[p * half + i] = Math.cos(angle);
        sin[p * half + i] = Math.sin(angle);
      }
    }
    return { cos, sin };
  }

  private sharedInputsGenai(): void {
    const g = this.g;
    const sum = g.op('ReduceSum', [IO_NAMES.attentionMask, g.i64([1])], { keepdims: attr.i(0) });
    this.seqlensK = g.op('Cast', [g.op('Sub', [sum, g.i64([1], [])])], { to: attr.i(DataType.INT32) });
    const total = g.op('Gather', [g.op('Shape', [IO_NAMES.attentionMask]), g.i64([1], [])], { axis: attr.i(0) });
    this.totalLen = g.op('Cast', [total], { to: attr.i(DataType.INT32) });
    const t = this.ropeTables();
    const half = this.s.headDim / 2;
    this.cos = this.floats('cos_cache', [this.s.maxPositions, half], t.cos);
    this.sin = this.floats('sin_cache', [this.s.maxPositions, half], t.sin);
  }

  private sharedInputsOptimum(): void {
    const g = this.g;
    const half = this.s.headDim / 2;
    const t = this.ropeTables();
    // cos/sin rows gathered by position: [B, S, half] -> duplicated halves [B, 1, S, headDim]
    const rows = (name: string, table: Float32Array): string => {
      const gathered = g.op('Gather', [this.floats(name, [this.s.maxPositions, half], table), IO_NAMES.positionIds], {
        axis: attr.i(0),
      });
      return g.op('Unsqueeze', [g.op('Concat', [gathered, gathered], { axis: attr.i(-1) }), g.i64([1])]);
    };
    this.cos = rows('rope.cos_table', t.cos);
    this.sin = rows('rope.sin_table', t.sin);
    // additive causal + padding mask [B, 1, 1, S, T] against scores [B, kvHeads, groups, S, T]
    const dim = (input: string): string =>
      g.op('Squeeze', [g.op('Shape', [input], { start: attr.i(1), end: attr.i(2) }), g.i64([0])]);
    const S = dim(IO_NAMES.inputIds);
    const T = dim(IO_NAMES.attentionMask);
    const one = g.i64([1], []);
    const queryPos = g.op('Range', [g.op('Sub', [T, S]), T, one]);
    const keyPos = g.op('Range', [g.i64([0], []), T, one]);
    const causal = g.op('LessOrEqual', [
      g.op('Unsqueeze', [keyPos, g.i64([0])]),
      g.op('Unsqueeze', [queryPos, g.i64([1])]),
    ]);
    const padding = g.op('Unsqueeze', [
      g.op('Cast', [IO_NAMES.attentionMask], { to: attr.i(DataType.BOOL) }),
      g.i64([1, 2, 3]),
    ]);
    const big = this.act === DataType.FLOAT16 ? -65504 : -1e9;
    this.mask = g.op('Where', [g.op('And', [causal, padding]), this.scalar(0), this.scalar(big)]);
  }

  private rope(t: string): string {
    const g = this.g;
    const half = this.s.headDim / 2;
    const [a, b] = [g.fresh('rope_a'), g.fresh('rope_b')];
    g.opTo('Split', [t, g.i64([half, half])], [a, b], { axis: attr.i(3) });
    const rotated = g.op('Concat', [g.op('Neg', [b]), a], { axis: attr.i(-1) });
    return g.op('Add', [g.op('Mul', [t, this.cos]), g.op('Mul', [rotated, this.sin])]);
  }

  private attentionOptimum(l: number, q: string, k: string, v: string): string {
    const g = this.g;
    const { numHeads: H, numKvHeads: KV, headDim: hd } = this.s;
    const heads = (x: string, n: number): string =>
      g.op('Transpose', [g.op('Reshape', [x, g.i64([0, 0, n, hd])])], { perm: attr.ints([0, 2, 1, 3]) });
    const presentK = nameAt(IO_NAMES.presentKey, l);
    const presentV = nameAt(IO_NAMES.presentValue, l);
    g.opTo('Concat', [nameAt(IO_NAMES.pastKey, l), this.rope(heads(k, KV))], [presentK], { axis: attr.i(2) });
    g.opTo('Concat', [nameAt(IO_NAMES.pastValue, l), heads(v, KV)], [presentV], { axis: attr.i(2) });
    // grouped heads by broadcasting: q [B, KV, H/KV, S, hd] · kᵀ [B, KV, 1, hd, T]; no K/V repeat copies
    const q5 = g.op('Reshape', [
      g.op('Mul', [this.rope(heads(q, H)), this.scalar(1 / Math.sqrt(hd))]),
      g.i64([0, KV, H / KV, -1, hd]),
    ]);
    const kT = g.op('Transpose', [g.op('Unsqueeze', [presentK, g.i64([2])])], { perm: attr.ints([0, 1, 2, 4, 3]) });
    const probs = g.op('Softmax', [g.op('Add', [g.op('MatMul', [q5, kT]), this.mask])], { axis: attr.i(-1) });
    const ctx = g.op('MatMul', [probs, g.op('Unsqueeze', [presentV, g.i64([2])])]);
    const ctx4 = g.op('Transpose', [g.op('Reshape', [ctx, g.i64([0, H, -1, hd])])], { perm: attr.ints([0, 2, 1, 3]) });
    return g.op('Reshape', [ctx4, g.i64([0, 0, H * hd])]);
  }

  private attentionGenai(l: number, q: string, k: string, v: string): string {
    const out = this.g.fresh('gqa_out');
    const inputs = [
      q,
      k,
      v,
      nameAt(IO_NAMES.pastKey, l),
      nameAt(IO_NAMES.pastValue, l),
      this.seqlensK,
      this.totalLen,
      this.cos,
      this.sin,
    ];
    const attrs = {
      num_heads: attr.i(this.s.numHeads),
      kv_num_heads: attr.i(this.s.numKvHeads),
      do_rotary: attr.i(1),
      rotary_interleaved: attr.i(0),
      local_window_size: attr.i(-1),
      scale: attr.f(1 / Math.sqrt(this.s.headDim)),
    };
    this.g.opTo(
      'GroupQueryAttention',
      inputs,
      [out, nameAt(IO_NAMES.presentKey, l), nameAt(IO_NAMES.presentValue, l)],
      attrs,
      'com.microsoft',
    );
    return out;
  }

  private declareIo(): void {
    const g = this.g;
    const { numLayers: L, numKvHeads: KV, headDim: hd, vocabSize: V } = this.s;
    g.input(IO_NAMES.inputIds, DataType.INT64, ['batch_size', 'sequence_length']);
    g.input(IO_NAMES.attentionMask, DataType.INT64, ['batch_size', 'total_sequence_length']);
    if (this.o.layout === 'optimum') g.input(IO_NAMES.positionIds, DataType.INT64, ['batch_size', 'sequence_length']);
    for (let l = 0; l < L; l++) {
      g.input(nameAt(IO_NAMES.pastKey, l), this.act, ['batch_size', KV, 'past_sequence_length', hd]);
      g.input(nameAt(IO_NAMES.pastValue, l), this.act, ['batch_size', KV, 'past_sequence_length', hd]);
    }
    g.output(IO_NAMES.logits, DataType.FLOAT, ['batch_size', 'sequence_length', V]);
    for (let l = 0; l < L; l++) {
      g.output(nameAt(IO_NAMES.presentKey, l), this.act, ['batch_size', KV, 'total_sequence_length', hd]);
      g.output(nameAt(IO_NAMES.presentValue, l), this.act, ['batch_size', KV, 'total_sequence_length', hd]);
    }
  }

  build(): ModelProto {
    const g = this.g;
    const { hiddenSize: D, numHeads: H, numKvHeads: KV, headDim: hd, intermediateSize: F, vocabSize: V } = this.s;
    this.declareIo();
    const embed = this.floats('model.embed_tokens.weight', [V, D], this.src.get('model.embed_tokens.weight'));
    let x = g.op('Gather', [embed, IO_NAMES.inputIds], { axis: attr.i(0) });
    if (this.o.layout === 'genai') this.sharedInputsGenai();
    else this.sharedInputsOptimum();
    for (let l = 0; l < this.s.numLayers; l++) {
      const n = layerNames(l);
      const h = this.rmsNorm(x, n.inNorm);
      const q = this.linear(h, n.q, H * hd, D);
      const k = this.linear(h, n.k, KV * hd, D);
      const v = this.linear(h, n.v, KV * hd, D);
      const attn = this.o.layout === 'genai' ? this.attentionGenai(l, q, k, v) : this.attentionOptimum(l, q, k, v);
      x = g.op('Add', [x, this.linear(attn, n.o, D, H * hd)]);
      const h2 = this.rmsNorm(x, n.postNorm);
      const gate = this.linear(h2, n.gate, F, D);
      const up = this.linear(h2, n.up, F, D);
      const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
      x = g.op('Add', [x, this.linear(act, n.down, D, F)]);
    }
    const final = this.rmsNorm(x, 'model.norm.weight');
    // tied embeddings: the LM head is the embedding table (stored again, transposed or quantized, for MatMul)
    const headName = this.src.has('lm_head.weight') ? 'lm_head.weight' : 'model.embed_tokens.weight';
    const logits = this.linear(final, headName, V, D);
    if (this.act === DataType.FLOAT16) g.opTo('Cast', [logits], [IO_NAMES.logits], { to: attr.i(DataType.FLOAT) });
    else g.opTo('Identity', [logits], [IO_NAMES.logits]);
    const needsMs = this.o.layout === 'genai' || this.o.weights === 'int4';
    return {
      irVersion: 8,
      producerName: 'cancerllm-build-model',
      opsets: needsMs ? { '': 17, 'com.microsoft': 1 } : { '': 17 },
      graph: g.toGraph('mistral'),
    };
  }
}

export function buildMistralGraph(
  shape: ModelShape,
  weights: WeightSource,
  options: MistralGraphOptions,
  store: TensorStore,
): ModelProto {
  const full: Required<MistralGraphOptions> = {
    layout: options.layout,
    weights: options.weights,
    activations: options.activations ?? (options.weights === 'fp16' ? 'fp16' : 'fp32'),
    int4AccuracyLevel: options.int4AccuracyLevel ?? 4,
  };
  return new MistralGraph(shape, weights, full, store).build();
}
