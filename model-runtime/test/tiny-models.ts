// Tiny model folders for tests: built from seeded random weights in a temporary folder, a few hundred KB each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFolder } from '../src/builder/model-writer.ts';
import { RandomWeights } from '../src/builder/weights.ts';
import { trainTinyTokenizer } from '../src/builder/tiny-tokenizer.ts';
import type { GraphLayout, WeightPrecision } from '../src/builder/mistral-graph.ts';
import type { ModelShape } from '../src/model-shape.ts';

export const TINY_SHAPE: ModelShape = {
  vocabSize: 512,
  hiddenSize: 64,
  intermediateSize: 128,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  headDim: 16,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
  maxPositions: 128,
  tieWordEmbeddings: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

export const TINY_SEED = 1234;

export interface TinyModels {
  root: string;
  build(layout: GraphLayout, weights: WeightPrecision, shape?: ModelShape): string;
  cleanup(): void;
}

export function tinyModels(): TinyModels {
  const root = mkdtempSync(join(tmpdir(), 'cancerllm-tiny-'));
  const tokenizer = trainTinyTokenizer(TINY_SHAPE.vocabSize);
  let n = 0;
  return {
    root,
    build(layout, weights, shape = TINY_SHAPE) {
      const dir = join(root, `${layout}-${weights}-${n++}`);
      writeModelFolder(dir, shape, new RandomWeights(shape, TINY_SEED), { layout, weights, tokenizer });
      return dir;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] ?? 0));
  return m;
}
