// Token choice: greedy is argmax; top-k and top-p restrict the candidates; a seed makes sampling repeatable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenSampler, argmax } from '../src/sampling.ts';

const logits = Float32Array.from([0.1, 3, 2.9, -1, 2.5]);

test('greedy picks the largest logit', () => {
  assert.equal(argmax(logits), 1);
  assert.equal(new TokenSampler({}).sample(logits), 1);
});

test('top-k 2 only ever picks the two best tokens', () => {
  const s = new TokenSampler({ temperature: 5, topK: 2, seed: 3 });
  const seen = new Set(Array.from({ length: 200 }, () => s.sample(logits)));
  assert.deepEqual([...seen].sort(), [1, 2]);
});

test('top-p keeps the smallest set reaching p', () => {
  // probabilities at temperature 1: token 1 ≈ 0.40, 2 ≈ 0.36, 4 ≈ 0.24, others tiny
  const s = new TokenSampler({ temperature: 1, topP: 0.7, seed: 1 });
  const seen = new Set(Array.from({ length: 300 }, () => s.sample(logits)));
  assert.deepEqual([...seen].sort(), [1, 2]);
});

test('the same seed gives the same choices', () => {
  const draw = (seed: number): number[] => {
    const s = new TokenSampler({ temperature: 2, seed });
    return Array.from({ length: 30 }, () => s.sample(logits));
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
});
