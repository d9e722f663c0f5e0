import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldedMatchAll } from '../src/extract/folded-match.ts';
import { SIDE_WORD, findLaterality, hasPairedSite, sideWords } from '../src/extract/laterality.ts';
import { noteTokens } from '../src/extract/mention.ts';
import { matchSites } from '../src/extract/site.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

// Laterality scans for side words only in windows near paired sites, "laterality" and procedure words. The side
// words it accepts must be those the whole-note scan accepts: compared here on seeded random text made of side
// words in every case, organs (with and without a side of their own), procedures and the words between them.
// prettier-ignore
const WORDS = [
  'left', 'Left', 'LEFT', 'right', 'RIGHT', 'Right', 'bilateral', 'Bilateral', 'both', 'BOTH', 'R', 'L', 'r', 'l',
  'Lt', 'RT', 'rt', 'lt.', 'left-sided', 'breast', 'BREAST', 'ovary', 'ovaries', 'kidney', 'lung', 'LLL', 'RUL',
  'thyroid', 'upper', 'posterior', 'outer', 'lobe', 'LOBE', 'lobectomy', 'radical', 'nephrectomy', 'Mastectomy',
  'modified radical mastectomy', 'salpingo-oophorectomy', 'bed', 'Laterality:', 'LATERALITY', 'laterality :',
  'specimen', 'MRI', 'CT', 'x-ray', 'mammogram', ',', ',', '(', ')', ':', '-', '\n', '  ', 'İ', 'the', 'mass', 'in',
  'and', '1', '2.5 cm', 'posterolateral', 'anterolateral', 'ipsilateral', 'laparoscopic', 'robotic', 'total',
  'partial', 'simple', '      ', '\n\n\n\n', ' \t ',
];

function randomText(seed: number): string {
  const next = seededRandom(seed);
  let text = randomPieces(WORDS, next, 2, 40, 0.75);
  // Long runs of filler put side words out of reach of any organ.
  if (next() < 0.3) text = text.replace(/ /, ` ${'text '.repeat(Math.floor(next() * 20))}`);
  return text;
}

/** Texts that put a side word at every distance from an organ, a procedure word or "Laterality:" near the limits. */
function* boundaryTexts(): Generator<string> {
  const gaps = ['', ' ', '\n', ', ', ' (', ' posterolateral ', ' laparoscopic radical total ', ' - '];
  for (const side of ['bilateral', 'Left', 'RT', 'R', 'l', 'both']) {
    for (let spaces = 0; spaces <= 45; spaces++) {
      const pad = ' '.repeat(spaces);
      for (const gap of gaps) {
        yield `${side}${gap}${pad}breast`;
        yield `breast${gap}${pad}${side} x`;
        yield `Laterality:${gap}${pad}${side}`;
        yield `${side}${gap}${pad}nephrectomy`;
        yield `${side}${gap}${pad}salpingo-oophorectomy`;
        yield `${side}${gap}${pad}lobe.`;
        yield `x${side}${pad}${gap}ovary x${side}`;
      }
    }
  }
}

function checkSideWords(text: string): void {
  const paired = matchSites(noteTokens(text))
    .filter((s) => s.payload.paired)
    .sort((a, b) => a.start - b.start);
  const accepted = (start: number, word: string) => hasPairedSite(text, start, start + word.length, paired);
  const full = [...foldedMatchAll(text, SIDE_WORD)]
    .map((m) => ({ start: m.index, word: m[1]! }))
    .filter((w) => accepted(w.start, w.word));
  const narrowed = sideWords(text, paired).filter((w) => accepted(w.start, w.word));
  assert.deepEqual(narrowed, full, JSON.stringify(text));
}

test('side words at the limits of their windows are found as the whole-note scan finds them', () => {
  for (const text of boundaryTexts()) checkSideWords(text);
});

test('side words near paired sites are the whole-note scan side words that have a paired site', () => {
  for (let seed = 1; seed <= 20000; seed++) {
    checkSideWords(randomText(seed));
  }
});

test('laterality is the same whether the sites come ascending (as matched) or in another order', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const text = randomText(seed);
    const note = noteTokens(text);
    const sites = matchSites(note);
    const expected = findLaterality(note, sites);
    assert.deepEqual(findLaterality(note, [...sites].reverse()), expected, JSON.stringify(text));
  }
});
