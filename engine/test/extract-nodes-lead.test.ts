// The region list before a node word is measured from where a list can begin (after the last character no list
// holds), not over the whole 160-character window: checked against the whole window on long seeded texts, where
// the list follows a sentence and may end with a parenthesis that holds any character.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldedSuffixLength } from '../src/extract/folded-match.ts';
import { leadLength } from '../src/extract/narrowed-scan.ts';
import { REGION_LIST_LEAD } from '../src/extract/nodes.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

const SENTENCE = [
  'CT',
  'of the',
  'chest',
  'shows',
  'no',
  '.',
  ':',
  ';',
  '2',
  '(',
  ')',
  ',',
  '-',
  '/',
  '\n',
  '\u00a0',
  'é',
];
const REGIONS = [
  'right',
  'R',
  'L',
  'hilar',
  'para-aortic',
  'level II',
  'level 4b',
  'internal mammary',
  'and',
  'or',
  ',',
];
const PARENTHESES = ['', '', '(level I)', '(x) (y)', '(a.b; 2/3)', '((2)', '(' + 'x'.repeat(20) + ')', '()'];
const HEADS = ['lymph nodes', 'adenopathy', 'nodal disease'];

test('the region list lead measures from where a list can begin what it measures over its whole window', () => {
  const random = seededRandom(5);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < 400; i++) {
    const text =
      randomPieces(SENTENCE, random, 5, 40, 0.7) +
      ' ' +
      randomPieces(REGIONS, random, 1, 6, 0.6) +
      pick([' ', '  ', '\n']) +
      pick(PARENTHESES) +
      pick([' ', '', '\t']) +
      pick(HEADS);
    for (let at = 0; at <= text.length; at++) {
      const from = Math.max(0, at - REGION_LIST_LEAD.lookBack);
      const whole = foldedSuffixLength(text, REGION_LIST_LEAD.lead, from, at);
      assert.equal(leadLength(text, REGION_LIST_LEAD, at), whole, `at ${at}: ${JSON.stringify(text)}`);
    }
  }
});
