import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PART_HEAD, partHeads } from '../src/extract/tnm.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

// TNM parts are looked for at the capital T's and N's of the note instead of by a scan of every offset. The heads
// found so must be where the global scan of PART_HEAD matches: compared on seeded random text made of parts,
// pieces of parts, words with capital T's and N's, and every kind of space.
// prettier-ignore
const PIECES = [
  'T', 'N', 'M', 'p', 'yp', 'c', 'T2', 'Tis', 'TIS', 'Ta', 'Tx', 'TX', 'T1c', 'T1mi', 'TI', 'Tl', 'TIb', 'N1a', 'N0',
  'NO', 'NOT', 'Nx', 'N3c', 'N1mi', 'N0(sn)', 'N0(i+)', 'N1(mol-)', 'NI', 'Nl', 'M0', 'M1a', 'T2 (m)', 'T3b(12)',
  'The', 'No', 'TUMOR', 'Tamoxifen', 'NED', 'INTO', 'a', 'b', 'd', 'x', '1', '4', '5', '(', ')', ',', '.', ';',
  ' ', ' ', '  ', '\n', '\t', '\r', '\v', '\f', '\u00a0', '\u2003', '\ufeff', 'İ', 'é',
];

const randomText = (seed: number) => randomPieces(PIECES, seededRandom(seed), 1, 30, 0.4);

test('part heads found at capital T and N are where the global part scan matches', () => {
  for (let seed = 1; seed <= 20000; seed++) {
    const text = randomText(seed);
    const full = [...text.matchAll(PART_HEAD)].map((m) => m.index);
    assert.deepEqual(partHeads(text), full, JSON.stringify(text));
  }
});
