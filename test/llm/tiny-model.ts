// A tiny random-weight Mistral model folder for the LLM tests (the public builder, as `cancerllm build-model` uses it).
import assert from 'node:assert/strict';
import { buildModel } from '@cancerllm/model-runtime';
import { TINY_SHAPE } from '../../model-runtime/test/tiny-models.ts';

export function buildTinyModel(outDir: string, seed: number, maxPositions = 1024): void {
  const built = buildModel({ outDir, source: { kind: 'random', shape: { ...TINY_SHAPE, maxPositions }, seed }, layout: 'genai', weights: 'fp32' });
  if (!built.ok) assert.fail(built.message);
}
