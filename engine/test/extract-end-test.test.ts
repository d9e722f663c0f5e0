// Patterns whose every match ends at the end of the text ("…\s*$" over the words before a mention) are run once,
// as a lookbehind at the end, instead of at every offset: checked against pattern.test on seeded random text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endTest } from '../src/extract/window-tests.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

const PATTERNS = [
  /(?:margin|margins|depth|\d\s*mm\s+of|segment of \w+,?|suv\w*|node|nodes|cuts?|at)[\s:,(]*$/i,
  /(?:carcinoma|tumou?r|histolog\w*)[^.;\n]{0,25}$|(?:grade[^.;\n]{0,20}[:(]\s*)$/i,
  /grade\s*:?\s*$|differentiation\s*:?\s*$|,\s*$|\(\s*$/i,
  /(?:\bno|\bwithout|\bnegative\s+for)\s+(?:(?:definite|evidence\s+of)\s+)*$/i,
  /(?:risk\s+of|time\s+to)\s*$/,
];
const PIECES = [
  'margin',
  'Margins',
  'depth',
  '3',
  'mm',
  'of',
  'segment',
  'SUVmax',
  'node',
  'cut',
  'at',
  'grade',
  'Grade',
  'differentiation',
  'carcinoma',
  'tumour',
  'histologic',
  'no',
  'without',
  'negative',
  'for',
  'definite',
  'evidence',
  'risk',
  'time',
  'to',
  'xno',
  ' ',
  '  ',
  '\n',
  '\t',
  '\u00a0',
  ':',
  ',',
  '(',
  '.',
  ';',
  'a',
  'İ',
  'é',
];

test('a pattern anchored at the end is tested as one lookbehind there, with the same answer', () => {
  const ends = PATTERNS.map(endTest);
  for (let seed = 1; seed <= 20000; seed++) {
    const text = randomPieces(PIECES, seededRandom(seed), 0, 12, 0.5);
    PATTERNS.forEach((pattern, i) =>
      assert.equal(ends[i]!(text), pattern.test(text), `${pattern}: ${JSON.stringify(text)}`),
    );
  }
});

test('a global or sticky pattern is refused', () => {
  assert.throws(() => endTest(/a$/g));
  assert.throws(() => endTest(/a$/y));
});
