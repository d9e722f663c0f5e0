// A count's node context is looked for within its paragraph, whose bounds are found by searching for line breaks
// instead of splitting the text around it at /\n\s*\n/: checked against the split on seeded random text made of
// words and every kind of space and line break.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paragraphEndIn, paragraphStartIn } from '../src/extract/nodes.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

const BLANK_LINE = /\n\s*\n/;
const PIECES = ['node', '2', 'of', '\n', '\n', '\r\n', ' ', '  ', '\t', '\u00a0', '\u2028', '\v', '.', 'x'];

test('paragraph bounds are where splitting the range at blank lines puts them', () => {
  for (let seed = 1; seed <= 5000; seed++) {
    const random = seededRandom(seed);
    const text = randomPieces(PIECES, random, 0, 25, 0.3);
    for (let from = 0; from <= text.length; from++) {
      const to = from + Math.floor(random() * (text.length - from + 1));
      const range = text.slice(from, to);
      const last = range.split(BLANK_LINE).pop()!;
      const first = range.split(BLANK_LINE)[0]!;
      const where = `${from}-${to}: ${JSON.stringify(text)}`;
      assert.equal(text.slice(paragraphStartIn(text, from, to), to), last, where);
      assert.equal(text.slice(from, paragraphEndIn(text, from, to)), first, where);
    }
  }
});
