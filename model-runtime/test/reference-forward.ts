// An independent, deliberately plain forward pass of a Mistral decoder in float64, written from the architecture's
// definition (Hugging Face MistralForCausalLM) rather than from the ONNX builder: tests compare the two.
import type { ModelShape } from '../src/model-shape.ts';
import type { WeightSource } from '../src/builder/weights.ts';

/** Returns logits [tokens.length][vocab] for one sequence with no padding. */
export function referenceForward(s: ModelShape, w: WeightSource, tokens: readonly number[]): Float64Array[] {
  const D = s.hiddenSize;
  const hd = s.headDim;
  const group = s.numHeads / s.numKvHeads;
  // y = x · Wᵀ with W in nn.Linear layout [out, in]
  const linear = (x: Float64Array, name: string): Float64Array => {
    const W = w.get(name);
    const out = new Float64Array(W.length / x.length);
    for (let o = 0; o < out.length; o++) {
      let acc = 0;
      for (let i = 0; i < x.length; i++) acc += (x[i] ?? 0) * (W[o * x.length + i] ?? 0);
      out[o] = acc;
    }
    return out;
  };
  const rmsNorm = (x: Float64Array, name: string): Float64Array => {
    const g = w.get(name);
    const ms = x.reduce((a, v) => a + v * v, 0) / x.length;
    const r = 1 / Math.sqrt(ms + s.rmsNormEps);
    return x.map((v, i) => v * r * (g[i] ?? 0));
  };
  // rotate_half convention: pairs (i, i + hd/2) within each head
  const rope = (x: Float64Array, pos: number, heads: number): Float64Array => {
    const out = new Float64Array(x.length);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < hd / 2; i++) {
        const theta = pos / Math.pow(s.ropeTheta, (2 * i) / hd);
        const a = x[h * hd + i] ?? 0;
        const b = x[h * hd + i + hd / 2] ?? 0;
        out[h * hd + i] = a * Math.cos(theta) - b * Math.sin(theta);
        out[h * hd + i + hd / 2] = b * Math.cos(theta) + a * Math.sin(theta);
      }
    }
    return out;
  };
  const embed = w.get('model.embed_tokens.weight');
  let xs = tokens.map((t) => Float64Array.from(embed.subarray(t * D, (t + 1) * D)));
  for (let l = 0; l < s.numLayers; l++) {
    const p = `model.layers.${l}`;
    const hs = xs.map((x) => rmsNorm(x, `${p}.input_layernorm.weight`));
    const q = hs.map((h, pos) => rope(linear(h, `${p}.self_attn.q_proj.weight`), pos, s.numHeads));
    const k = hs.map((h, pos) => rope(linear(h, `${p}.self_attn.k_proj.weight`), pos, s.numKvHeads));
    const v = hs.map((h) => linear(h, `${p}.self_attn.v_proj.weight`));
    xs = xs.map((x, pos) => {
      const ctx = new Float64Array(s.numHeads * hd);
      for (let h = 0; h < s.numHeads; h++) {
        const kvh = Math.floor(h / group);
        const scores: number[] = [];
        for (let t = 0; t <= pos; t++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += (q[pos]?.[h * hd + i] ?? 0) * (k[t]?.[kvh * hd + i] ?? 0);
          scores.push(dot / Math.sqrt(hd));
        }
        const m = Math.max(...scores);
        const e = scores.map((z) => Math.exp(z - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let t = 0; t <= pos; t++)
          for (let i = 0; i < hd; i++)
            ctx[h * hd + i] = (ctx[h * hd + i] ?? 0) + ((e[t] ?? 0) / z) * (v[t]?.[kvh * hd + i] ?? 0);
      }
      const attn = linear(ctx, `${p}.self_attn.o_proj.weight`);
      return x.map((xi, i) => xi + (attn[i] ?? 0));
    });
    xs = xs.map((x) => {
      const h = rmsNorm(x, `${p}.post_attention_layernorm.weight`);
      const gate = linear(h, `${p}.mlp.gate_proj.weight`);
      const up = linear(h, `${p}.mlp.up_proj.weight`);
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] ?? 0));
      const down = linear(act, `${p}.mlp.down_proj.weight`);
      return x.map((xi, i) => xi + (down[i] ?? 0));
    });
  }
  const head = w.has('lm_head.weight') ? 'lm_head.weight' : 'model.embed_tokens.weight';
  return xs.map((x) => linear(rmsNorm(x, 'model.norm.weight'), head));
}
