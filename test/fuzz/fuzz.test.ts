// The fuzz tests at the size `npm test` affords (a few thousand cases); `npm run fuzz` runs the same with 100,000+.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzEngine } from './fuzz-engine.ts';
import { fuzzLsp } from './fuzz-lsp.ts';

test('the engine survives 2,000 random and mutated notes with sound spans', () => {
  assert.deepEqual(fuzzEngine(2000, 20261128), []);
});

test('the server survives 1,000 random and malformed messages with ranges inside documents', async () => {
  assert.deepEqual(await fuzzLsp(1000, 4242), []);
});
