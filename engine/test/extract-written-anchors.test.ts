import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldedMatchAll } from '../src/extract/folded-match.ts';
import { scanMatches, type NarrowedScan } from '../src/extract/narrowed-scan.ts';
import { RESECTION_CLASS_SCAN } from '../src/extract/margin.ts';
import { PS_SCAN } from '../src/extract/performance.ts';
import { RECEPTOR_SCAN } from '../src/extract/receptor.ts';
import { STAGE_SCAN } from '../src/extract/stage.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

// Case-sensitive patterns find their first words in the note's lower case and keep those written as the pattern
// spells them; receptor names are found by the letters up to their first "r" at a word's start. Both must find
// what the whole-note regex scan finds, whatever the case of the words: compared on seeded random text.
// prettier-ignore
const WORDS = [
  'stage', 'Stage', 'STAGE', 'sTAGE', 'StAge', 'FIGO', 'Figo', 'figo', 'fIGO', 'BCLC', 'bclc', 'Binet', 'BINET',
  'Rai', 'rai', 'RAI', 'brain', 'ECOG', 'Ecog', 'ecog', 'Zubrod', 'ZUBROD', 'WHO', 'who', 'Who', 'KPS', 'kps',
  'Karnofsky', 'KARNOFSKY', 'performance', 'Performance', 'status', 'PS', 'ps', 'Ps', 'R0', 'r0', 'R1', 'R2', 'r2',
  'xR0', 'R-CHOP', 'ER', 'er', 'Er', 'her', 'HER2', 'Her-2', 'PgR', 'pgr', 'AR', 'ar', 'Androgen receptor',
  'and', 'estrogen receptor', 'OESTROGEN RECEPTOR', 'positive', 'negative', 'IHC 2+', '+', '-', '/', '(95%)',
  '0', '1', '2', '3', '4', '10', '80', '90%', 'IIB', 'IV', 'A', 'C', ':', 'of', 'is', '2018', ' ', '  ', '\n',
  ',', '.', '(', ')', 'İ', 'x', '9', '9ER', '1PR', '0her2', 'zER', 'é', 'éER',
];

const randomText = (seed: number) => randomPieces(WORDS, seededRandom(seed), 1, 25, 0.7);

const matchesOf = (found: Iterable<RegExpExecArray>) =>
  [...found].map((m) => ({ index: m.index, strings: [...m], groups: m.groups ? { ...m.groups } : undefined }));

const SCANS: Array<[string, NarrowedScan]> = [
  ['STAGE', STAGE_SCAN],
  ['PS', PS_SCAN],
  ['RESECTION_CLASS', RESECTION_CLASS_SCAN],
  ['RECEPTOR', RECEPTOR_SCAN],
];

test('scans tried where their first words are written find what the whole-note scans find', () => {
  for (let seed = 1; seed <= 5000; seed++) {
    const text = randomText(seed);
    for (const [name, scan] of SCANS) {
      assert.deepEqual(
        matchesOf(scanMatches(text, scan)),
        matchesOf(foldedMatchAll(text, scan.pattern)),
        `${name}: ${JSON.stringify(text)}`,
      );
    }
  }
});
