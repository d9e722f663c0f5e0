// Text deltas hold back what might become a stop string and cut at the first stop string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextStream } from '../src/text-stream.ts';

// each "token" id is an index into this list of text pieces
const pieces = ['The', ' tumor', ' is', ' T2', '\n\n', 'Stage', ' II'];
const decode = (ids: readonly number[]): string => ids.map((i) => pieces[i] ?? '').join('');

test('without stop strings every token is shown at once', () => {
  const s = new TextStream(decode, []);
  assert.deepEqual(
    [[0], [0, 1], [0, 1, 2]].map((ids) => s.update(ids)),
    ['The', ' tumor', ' is'],
  );
});

test('text that may start a stop string is held back until it cannot', () => {
  const s = new TextStream(decode, ['\n\nQ:']);
  assert.equal(s.update([0, 1, 2, 3]), 'The tumor is T2');
  assert.equal(s.update([0, 1, 2, 3, 4]), '');
  assert.equal(s.update([0, 1, 2, 3, 4, 5]), '\n\nStage');
});

test('a stop string ends the stream and is cut', () => {
  const s = new TextStream(decode, [' T2']);
  assert.equal(s.update([0, 1]), 'The tumor');
  assert.equal(s.update([0, 1, 2, 3]), ' is');
  assert.ok(s.stopped);
  assert.equal(s.fullText, 'The tumor is');
});

test('flush releases held-back text when generation ends otherwise', () => {
  const s = new TextStream(decode, ['\n\nQ:']);
  s.update([0, 4]);
  assert.equal(s.flush(), '\n\n');
});
