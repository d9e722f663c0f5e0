// Whether a size's clause is about margins, metastases or lymph nodes is read in one scan for both kinds of word:
// checked against the three separate tests it replaces on seeded random clauses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aboutSomethingElse } from '../src/extract/size.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

const PIECES = [
  'margin',
  'Margins',
  'closest',
  'ENE',
  'extranodal',
  'extent',
  'metastases',
  'mets',
  'adenopathy',
  'lymphadenopathy',
  'lymph',
  'Lymph',
  'node',
  'nodes',
  'nodal',
  'mass',
  'tumor',
  'tumour',
  'lesion',
  'primary',
  'carcinoma',
  'x',
  '2',
  ' ',
  ' ',
  ',',
  '-',
  '(',
  '\u00a0',
  'é',
  ';',
  '\n',
  '.',
];

function separately(clause: string): boolean {
  if (
    /\b(?:margins?|closest|ENE|extranodal|extent|metastas[ie]s|metastatses|mets|adenopathy|lymphadenopathy)\b/i.test(
      clause,
    )
  )
    return true;
  return /\b(?:lymph|nodes?)\b/i.test(clause) && !/\b(?:mass|tumou?r|lesion|primary|carcinoma)\b/i.test(clause);
}

test('a clause about something other than the tumour is found as the separate tests find it', () => {
  for (let seed = 1; seed <= 20000; seed++) {
    const text = randomPieces(PIECES, seededRandom(seed), 0, 10, 0.5) + '3 cm';
    const start = text.length - '3 cm'.length;
    let from = start;
    while (
      from > 0 &&
      start - from < 80 &&
      text[from - 1] !== ';' &&
      // A line break ends the clause unless the next line carries it on (lower case, a number, "(").
      !(text[from - 1] === '\n' && !/^[ \t]*[a-z0-9(]/.test(text.slice(from))) &&
      !(text[from - 1] === '.' && !/\d/.test(text[from] ?? ''))
    )
      from--;
    assert.equal(aboutSomethingElse(text, start), separately(text.slice(from, start)), JSON.stringify(text));
  }
});
