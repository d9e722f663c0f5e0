// The Mistral-shaped random models the CPU LLM benchmarks run (bench/llm.bench.ts, bench/llm-batch.bench.ts):
// 32 000-token vocabulary, 8 heads over 2 KV heads, a 2 k context.
import type { ModelShape } from '@cancerllm/model-runtime';

export const shapeOf = (layers: number, hidden: number, inter: number): ModelShape => ({
  vocabSize: 32000,
  hiddenSize: hidden,
  intermediateSize: inter,
  numLayers: layers,
  numHeads: 8,
  numKvHeads: 2,
  headDim: hidden / 8,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
  maxPositions: 2048,
  tieWordEmbeddings: false,
  bosTokenId: 1,
  eosTokenIds: [2],
});

export const BENCH_MODELS = [
  { name: 'tiny 4×256', shape: shapeOf(4, 256, 896) },
  { name: 'mid 8×1024', shape: shapeOf(8, 1024, 3584) },
];
