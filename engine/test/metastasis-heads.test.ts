import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMetastases } from '../src/extract/metastasis.ts';
import { noteTokens } from '../src/extract/mention.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

// The site-less, "metastatic to <sites>" and "metastatic <cancer>" scans run only where their first word stands. A note holding "İ"
// (whose lower case is longer) takes the plain regex scans instead, so the two paths can be compared on the same
// text: the appended line changes no match before it.
const WORDS = [
  'metastatic',
  'metastases',
  'metastasis',
  'mets',
  'Mets',
  'metastasized',
  'into',
  'Metastatic',
  'METASTASES',
  'non-metastatic',
  'non-',
  'distant',
  'visceral',
  'thoracic',
  'extrahepatic',
  'widespread',
  'diffuse',
  'disease',
  'spread',
  'breast',
  'lung',
  'NSCLC',
  'beyond',
  'to',
  'the',
  'liver',
  'bone',
  'and',
  ',',
  'no',
  'nodal',
  'lymph node',
  'x',
  'metasta',
  '\n',
  '-',
  'hepatic',
  'lesions',
  'castration',
  'metastaticbreast',
  'ametastases',
];

const randomNote = (seed: number) => randomPieces(WORDS, seededRandom(seed), 3, 25, 0.8);

const found = (text: string) =>
  findMetastases(noteTokens(text)).map((m) => `${m.start}-${m.end} ${m.text} ${JSON.stringify(m.value)}`);

test('metastasis scans tried at their first words find what the whole-note regex scans find', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const text = randomNote(seed);
    assert.deepEqual(found(text), found(`${text}\nİ`), text);
  }
});
