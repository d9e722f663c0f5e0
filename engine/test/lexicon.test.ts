import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commonWords,
  editDistance,
  FuzzyIndex,
  histologyMatcher,
  PhraseMatcher,
  siteMatcher,
  treatmentMatcher,
} from '../src/lexicon/index.ts';
import { tokenize } from '../src/lexicon/tokens.ts';

function matched(matcher: PhraseMatcher<unknown>, text: string): string[] {
  return matcher.match(text).map((m) => text.slice(m.start, m.end));
}

test('tokens drop hyphens and spaces but keep "/" and "+"', () => {
  assert.deepEqual(
    tokenize('base-of-tongue ER+/PR+').map((t) => t.norm),
    ['base', 'of', 'tongue', 'er', '+', '/', 'pr', '+'],
  );
});

test('the phrase matcher prefers the longest phrase and spans line breaks', () => {
  const matcher = new PhraseMatcher([
    { term: 'carcinoma', payload: 1 },
    { term: 'invasive ductal carcinoma', payload: 2 },
  ]);
  assert.deepEqual(
    matcher.match('invasive ductal\ncarcinoma; carcinoma').map((m) => m.payload),
    [2, 1],
  );
});

test('punctuation between words ends a phrase', () => {
  const matcher = new PhraseMatcher([{ term: 'sigmoid colon', payload: 1 }]);
  assert.deepEqual(matched(matcher, 'sigmoid, colon'), []);
});

test('case-sensitive terms match only as written', () => {
  const matcher = new PhraseMatcher([{ term: 'NED', payload: 1, caseSensitive: true }]);
  assert.deepEqual(matched(matcher, 'NED. ned. Ned.'), ['NED']);
});

test('edit distance counts a transposition as one edit and stops at the bound', () => {
  assert.equal(editDistance('pancraetic', 'pancreatic', 2), 1);
  assert.equal(editDistance('adenocarinoma', 'adenocarcinoma', 2), 1);
  assert.equal(editDistance('abcdefgh', 'zyxwvuts', 2), 3);
});

test('misspellings within the bound reach the lexicon word', () => {
  const index = new FuzzyIndex(['adenocarcinoma', 'lumpectomy', 'hepatocellular'], new Set());
  assert.equal(index.correct('adenocarinoma'), 'adenocarcinoma');
  assert.equal(index.correct('lumpectomey'), 'lumpectomy');
  assert.equal(index.correct('hepatocelular'), 'hepatocellular');
});

test('short words are never corrected: liver/river/lever stay apart', () => {
  const index = new FuzzyIndex(['liver', 'colon', 'rectal'], new Set());
  assert.equal(index.correct('river'), undefined);
  assert.equal(index.correct('lever'), undefined);
  assert.equal(index.correct('colan'), undefined);
});

test('common words are never corrected into lexicon terms', () => {
  const index = new FuzzyIndex(['rectal', 'mental'], commonWords);
  assert.equal(index.correct('recital'), undefined);
});

test('an ambiguous misspelling is left alone', () => {
  const index = new FuzzyIndex(['carboplatin', 'carboplatim'], new Set());
  assert.equal(index.correct('carboplatix'), undefined);
});

test('a wrong first letter is not corrected', () => {
  const index = new FuzzyIndex(['melanoma'], new Set());
  assert.equal(index.correct('xelanoma'), undefined);
});

test('ordinary clinical prose gives no fuzzy matches', () => {
  const text = 'Patient reports mother and father are healthy; normal physical exam, stable weight, general wellbeing.';
  for (const matcher of [siteMatcher(), histologyMatcher(), treatmentMatcher()]) {
    assert.deepEqual(
      matcher.match(text).filter((m) => m.fuzzy),
      [],
    );
  }
});

test('lexicon codes have the ICD-O-3 shapes', () => {
  for (const m of siteMatcher().match('breast lung prostate cervix thyroid ovary kidney'))
    assert.match(m.payload.icdo3, /^C\d{2}\.\d$/);
  for (const m of histologyMatcher().match('adenocarcinoma melanoma glioblastoma seminoma DLBCL'))
    assert.match(m.payload.icdo3, /^\d{4}\/[0-3]$/);
});
