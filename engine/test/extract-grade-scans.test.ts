import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldedMatchAll } from '../src/extract/folded-match.ts';
import { DIFFERENTIATION_SCAN, NOTTINGHAM_SCORE_SCAN, findGrades } from '../src/extract/grade.ts';
import { scanMatches, type NarrowedScan } from '../src/extract/narrowed-scan.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

// The grade scans run only where their first word (or "grade") stands. A note holding "İ" (whose lower case is
// longer) takes the plain regex scans instead, so the two paths can be compared on the same text: the appended
// line changes no match before it.
// prettier-ignore
const WORDS = [
  'grade', 'Grade', 'GRADE', 'gRade', '1', '2', '3', '4', 'II', 'III', 'IV', 'of', '/', ':', '(score 6/9)', 'G2',
  'G3', 'g2', 'G12', 'low', 'high', 'intermediate', 'Low', 'HIGH', 'nuclear', 'Nuclear', '-', 'well', 'moderately',
  'moderate', 'moderatly', 'poorly', 'undifferentiated', 'un-differentiated', 'differentiated', 'to', 'Nottingham',
  'NOTTINGHAM', 'score', 'total', '7/9', 'carcinoma', 'FIGO', 'histologic', 'neuropathy', 'Gleason', 'group', ',',
  '(', '\n', '\t', 'x', 'a',
];

const randomNote = (seed: number) => randomPieces(WORDS, seededRandom(seed), 3, 25, 0.7);

const found = (text: string) => findGrades(text).map((m) => `${m.start}-${m.end} ${m.text} ${JSON.stringify(m.value)}`);

test('grade scans tried at their first words find what the whole-note regex scans find', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const text = randomNote(seed);
    assert.deepEqual(found(text), found(`${text}\nİ`), text);
  }
});

const matchesOf = (found: Iterable<RegExpExecArray>) => [...found].map((m) => ({ index: m.index, strings: [...m] }));

test('each anchored grade scan matches as its pattern scanned over the whole note', () => {
  const scans: Array<[string, NarrowedScan]> = [
    ['NOTTINGHAM_SCORE', NOTTINGHAM_SCORE_SCAN],
    ['DIFFERENTIATION', DIFFERENTIATION_SCAN],
  ];
  for (let seed = 1; seed <= 2000; seed++) {
    const text = randomNote(seed);
    for (const [name, scan] of scans) {
      assert.deepEqual(
        matchesOf(scanMatches(text, scan)),
        matchesOf(foldedMatchAll(text, scan.pattern)),
        `${name}: ${text}`,
      );
    }
  }
});
