import assert from 'node:assert/strict';
import { suite, test } from 'mocha';

suite('deliberate failure (temporary)', () => {
  test('fails', () => assert.equal(1, 2));
});
