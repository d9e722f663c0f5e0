import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findTnm } from '../src/extract/tnm.ts';

function tnmValues(text: string) {
  return findTnm(text).map((m) => ({ text: m.text, value: m.value }));
}

test('pathologic TNM with spaces is one mention with all parts', () => {
  assert.deepEqual(tnmValues('Stage: pT2 N1a M0, stage IIB'), [
    { text: 'pT2 N1a M0', value: { prefix: 'p', t: 'T2', n: 'N1a', m: 'M0' } },
  ]);
});

test('compact post-therapy TNM keeps the yp prefix', () => {
  assert.deepEqual(tnmValues('ypT1cN0'), [{ text: 'ypT1cN0', value: { prefix: 'yp', t: 'T1c', n: 'N0' } }]);
});

test('a T inside a word or an MRI sequence name is not TNM', () => {
  assert.deepEqual(tnmValues('AT2B protein; T2-weighted images'), []);
});

test('offsets slice back to the mention text', () => {
  const text = 'Final: cT3N1M0 adenocarcinoma';
  for (const m of findTnm(text)) assert.equal(text.slice(m.start, m.end), m.text);
});

test('a per-part prefix after a space is not a sub-letter of the part before it', () => {
  assert.deepEqual(tnmValues('cT2 cN1 cM0; ypT2aN0; pT1 b N0'), [
    { text: 'cT2 cN1 cM0', value: { prefix: 'c', t: 'T2', n: 'N1', m: 'M0' } },
    { text: 'ypT2aN0', value: { prefix: 'yp', t: 'T2a', n: 'N0' } },
    { text: 'pT1 b N0', value: { prefix: 'p', t: 'T1b', n: 'N0' } },
  ]);
});

test('OCR digits: "O" for 0 before an M, "l" before a colon, "i" before a sub-letter; "Tis" stays in situ', () => {
  assert.deepEqual(tnmValues('Stage pT3aNOMX. PRIMARY TUMOR: pTl: size < 2 cm. T STAGE: pTic. pTIS, PN0'), [
    { text: 'pT3aNOMX', value: { prefix: 'p', t: 'T3a', n: 'N0', m: 'MX' } },
    { text: 'pTl', value: { prefix: 'p', t: 'T1' } },
    { text: 'pTic', value: { prefix: 'p', t: 'T1c' } },
    { text: 'pTIS, PN0', value: { prefix: 'p', t: 'Tis', n: 'N0' } },
  ]);
  // Without a prefix these are words or abbreviations, not categories.
  assert.deepEqual(tnmValues('A TIA last year. Tic disorder. NOMAD trial.'), []);
});

test('a synoptic line naming each part in its key is one mention; a lone M key is not kept', () => {
  assert.deepEqual(tnmValues('Grade: 2. T Stage: 3 N Stage: 0 M Stage: 0 Treatment: none. T. stage: 2, N stage: 2a'), [
    { text: 'T Stage: 3 N Stage: 0 M Stage: 0', value: { t: 'T3', n: 'N0', m: 'M0' } },
    { text: 'T. stage: 2, N stage: 2a', value: { t: 'T2', n: 'N2a' } },
  ]);
  assert.deepEqual(tnmValues('M stage: 1. N stage: 1 T stage: 2'), [
    { text: 'N stage: 1', value: { n: 'N1' } },
    { text: 'T stage: 2', value: { t: 'T2' } },
  ]);
  // A category written with its letter after the key is read where it is written.
  assert.deepEqual(tnmValues('T stage: pT2'), [{ text: 'pT2', value: { prefix: 'p', t: 'T2' } }]);
});
