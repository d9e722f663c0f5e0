// Checked against published values. Sources: Papineni et al. 2002, "BLEU: a Method for Automatic Evaluation of
// Machine Translation", section 2.1 (the example candidates and references, reproduced in NLTK's
// nltk/translate/bleu_score.py docstrings with modified_precision 17/18, 10/17, 8/14, 1/13 and sentence_bleu
// 0.5045666840058485); Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries", section 3.1 (the
// "police killed the gunman" example: ROUGE-L 0.75 and 0.5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bleu, exactMatch, modifiedPrecision, rougeL, scoreText, tokenize } from '../src/evaluation/text-metrics.ts';

const split = (text: string) => text.split(' ');
const hypothesis1 = split('It is a guide to action which ensures that the military always obeys the commands of the party');
const hypothesis2 = split('It is to insure the troops forever hearing the activity guidebook that party direct');
const references = [
  split('It is a guide to action that ensures that the military will forever heed Party commands'),
  split('It is the guiding principle which guarantees the military forces always being under the command of the Party'),
  split('It is the practical guide for the army always to heed the directions of the party'),
];

test('modified precision matches the BLEU paper example', () => {
  assert.deepEqual(modifiedPrecision(references, hypothesis1, 1), [17, 18]);
  assert.deepEqual(modifiedPrecision(references, hypothesis1, 2), [10, 17]);
  assert.deepEqual(modifiedPrecision(references, hypothesis2, 1), [8, 14]);
  assert.deepEqual(modifiedPrecision(references, hypothesis2, 2), [1, 13]);
});

test('clipping: "the the the the the the the" scores 2/7 against the cat references', () => {
  assert.deepEqual(modifiedPrecision([split('The cat is on the mat'), split('There is a cat on the mat')].map((r) => r.map((w) => w.toLowerCase())), split('the the the the the the the'), 1), [2, 7]);
});

test('sentence BLEU-4 equals NLTK\'s published 0.5045666840058485 for the paper example', () => {
  assert.ok(Math.abs(bleu(references, hypothesis1, 4) - 0.5045666840058485) < 1e-12);
});

test('ROUGE-L F1 matches the ROUGE paper example', () => {
  const s1 = split('police killed the gunman');
  assert.equal(rougeL(split('police kill the gunman'), s1), 0.75);
  assert.equal(rougeL(split('the gunman kill police'), s1), 0.5);
});

test('exact match ignores case, spacing and punctuation only', () => {
  assert.equal(exactMatch('Invasive ductal carcinoma, grade 2.', 'invasive ductal carcinoma grade 2'), 1);
  assert.equal(exactMatch('Invasive ductal carcinoma, grade 3', 'invasive ductal carcinoma grade 2'), 0);
});

test('clinical tokens stay whole', () => {
  assert.deepEqual(tokenize('ER+ (95%), HER2- FISH; Ki-67 2.3 cm pT2/N1a'), ['er+', '95', 'her2', 'fish', 'ki-67', '2.3', 'cm', 'pt2/n1a']);
});

test('scores combine into the paper\'s average; an empty candidate scores zero', () => {
  const same = scoreText('Stage IIB breast cancer', 'Stage IIB breast cancer');
  assert.deepEqual(same, { exactMatch: 1, bleu2: 1, rougeL: 1, average: 1 });
  assert.deepEqual(scoreText('', 'Stage IIB'), { exactMatch: 0, bleu2: 0, rougeL: 0, average: 0 });
});
