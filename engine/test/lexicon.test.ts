import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commonWords,
  editDistance,
  FuzzyIndex,
  histologyMatcher,
  noteTokenIds,
  noteWords,
  PhraseMatcher,
  siteMatcher,
  treatmentMatcher,
  WordIds,
} from '../src/lexicon/index.ts';
import { tokenize } from '../src/lexicon/tokens.ts';
import { foldedMatchAll, lowerCaseSource } from '../src/extract/folded-match.ts';

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

test('word ids are read straight from the text, whole words only', () => {
  const ids = new WordIds();
  const breast = ids.register('breast');
  const lung = ids.register('lung');
  const text = 'left breast, lungs; lung+breastx';
  assert.equal(ids.idAt(text, 5, 11), breast);
  assert.equal(ids.idAt(text, 20, 24), lung);
  assert.equal(ids.idAt(text, 13, 18), -1, 'lungs is another word');
  assert.equal(ids.idAt(text, 25, 32), -1, 'breastx is another word');
  // Registering a word later still finds it (the lookup table is rebuilt).
  const lungs = ids.register('lungs');
  assert.equal(ids.idAt(text, 13, 18), lungs);
});

test('noteWords keeps the same lexicon words as tokenize + noteTokenIds, misspellings included', () => {
  const notes = [
    'Invasive ductal carcinma of the LEFT breast, ER+/PR+ HER2-negative; s/p lumpectomy + AC-T.',
    'Metastatic adenocarcinoma to the lvier and bones.\r\nPlan: FOLFOX x6 cycles.',
    'İstanbul: the pancraetic mass (4.5 cm) — see CT.', // "İ" lower-cases to two characters: the fallback path
    '',
    '++//  \t tumour',
    'carcinoma', // a word that runs to the last character
    'Résection du côlon 3×4 cm÷2 breast',
    'a/b+c', // one-character tokens between words
    'ÀÖØöøɏ×÷ adenocarinoma',
    'lumpectomey, common words: patient history',
    'xyzzy breast qwerty lung lung', // unknown tokens between lexicon words are left out
  ];
  for (const note of notes) {
    const tokens = tokenize(note);
    const expected = noteTokenIds(tokens);
    const words = noteWords(note);
    assert.deepEqual(words, expected, note);
    // Each kept word is a token.
    words.starts.forEach((start, k) => {
      assert.ok(
        tokens.some((t) => t.start === start && t.end === words.ends[k]),
        `${note}: word ${k} is a token`,
      );
    });
  }
});

test('head hits are found case-insensitively, at offsets of the original text', () => {
  const text = 'İ LYMPH Node: nodal';
  const hits = [...foldedMatchAll(text, /lymph|nod/gi)].map((h) => h.index);
  assert.deepEqual(hits, [text.indexOf('LYMPH'), text.indexOf('Node'), text.indexOf('nodal')]);
  const plain = 'Lymph NODE';
  assert.deepEqual(
    [...foldedMatchAll(plain, /lymph|node/gi)].map((h) => h.index),
    [0, 6],
  );
});

test('a folded scan gives what a case-insensitive matchAll gives: offsets, written case, groups', () => {
  const pattern = /(?<![A-Za-z])(?<word>LVI|ALI)(\S*)\s+(?:IS\s+)?(present|absent)?/gi;
  for (const text of ['LVI+ is Present; ali absent. ALI\tabsent', 'İ then LVI present', 'no match here']) {
    const expected = [...text.matchAll(pattern)].map((m) => ({ index: m.index, all: [...m], groups: { ...m.groups } }));
    const folded = [...foldedMatchAll(text, pattern)].map((m) => ({
      index: m.index,
      all: [...m],
      groups: { ...m.groups },
    }));
    assert.deepEqual(folded, expected, text);
  }
});

test('lower-casing a pattern keeps escapes and group names', () => {
  assert.equal(lowerCaseSource(String.raw`(?<Figo>FIGO)\S\B\D[A-Z]`), String.raw`(?<Figo>figo)\S\B\D[a-z]`);
});
