import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMentions } from '../src/extract/index.ts';

function treatments(text: string) {
  return extractMentions(text)
    .filter((m) => m.type === 'treatment')
    .sort((a, b) => a.start - b.start)
    .map((m) => ({ text: m.text, value: m.value }));
}

test('drugs joined by a slash or plus are one regimen', () => {
  assert.deepEqual(treatments('Plan carboplatin/paclitaxel, then encorafenib + cetuximab.'), [
    { text: 'carboplatin/paclitaxel', value: { kind: 'regimen', name: 'carboplatin/paclitaxel' } },
    { text: 'encorafenib + cetuximab', value: { kind: 'regimen', name: 'encorafenib/cetuximab' } },
  ]);
});

test('named regimens, drugs, surgery and radiation', () => {
  assert.deepEqual(treatments('s/p lumpectomy; R-CHOP x6; on osimertinib; salvage RT planned.'), [
    { text: 'lumpectomy', value: { kind: 'surgery', name: 'lumpectomy' } },
    { text: 'R-CHOP', value: { kind: 'regimen', name: 'R-CHOP' } },
    { text: 'osimertinib', value: { kind: 'drug', name: 'osimertinib' } },
    { text: 'salvage RT', value: { kind: 'radiation', name: 'salvage RT' } },
  ]);
});

test('synonyms map to one name', () => {
  assert.deepEqual(treatments('Whipple procedure discussed.'), [
    { text: 'Whipple procedure', value: { kind: 'surgery', name: 'pancreaticoduodenectomy' } },
  ]);
});

test('surgical approach words stay in the span but not in the name', () => {
  assert.deepEqual(treatments('laparoscopic sigmoid colectomy'), [
    { text: 'laparoscopic sigmoid colectomy', value: { kind: 'surgery', name: 'sigmoid colectomy' } },
  ]);
});

test('a misspelled procedure is still found', () => {
  assert.deepEqual(treatments('s/p lumpectomey and RT'), [
    { text: 'lumpectomey', value: { kind: 'surgery', name: 'lumpectomy' } },
    { text: 'RT', value: { kind: 'radiation', name: 'RT' } },
  ]);
});

test('upper-case abbreviations do not fire on ordinary words', () => {
  assert.deepEqual(treatments('The rt side and ac joint were examined; act now.'), []);
});
