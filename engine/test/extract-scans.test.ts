// The extractors try their patterns only where string search says a match can be (narrowed scans, leads measured
// only where they can end, heads found by string search). Each must find exactly what the full regex scan it
// replaces finds, on any text: checked here against that full scan on seeded random text made of each pattern's
// own vocabulary, and on sample notes with such words spliced in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldedHits, foldedMatchAll, foldedSuffixLength } from '../src/extract/folded-match.ts';
import {
  alternationHits,
  ascendingOnce,
  occurrencesOf,
  rareLiteralHits,
  wordOffsets,
} from '../src/extract/literal-heads.ts';
import {
  leadLength,
  scanLowerCaseMatches,
  scanMatches,
  type NarrowedHeads,
  type NarrowedLead,
  type NarrowedScan,
} from '../src/extract/narrowed-scan.ts';
import { CD_MARKER_SCAN } from '../src/extract/biomarker.ts';
import { ABBREVIATION_SCAN, MODIFIER_LEAD, STATUS_HEADS } from '../src/extract/disease-status.ts';
import { GLEASON_SCAN, GRADE_GROUP_SCAN } from '../src/extract/gleason.ts';
import { LVI_SCAN } from '../src/extract/lvi.ts';
import { MARGIN_WORDS_LEAD, RESECTION_CLASS_SCAN, STATUS_LEAD } from '../src/extract/margin.ts';
import { DIGIT_COUNT_SCAN, OF_HEAD_SCAN, REGION_LIST_LEAD } from '../src/extract/nodes.ts';
import { PS_SCAN } from '../src/extract/performance.ts';
import { NUMBER_RESULT_SCAN, RECEPTOR_SCAN } from '../src/extract/receptor.ts';
import { SIZE_SCAN } from '../src/extract/size.ts';
import { EXTENT_SCAN, STAGE_SCAN } from '../src/extract/stage.ts';
import { KEYED_PART_SCAN } from '../src/extract/tnm.ts';
import { ARM_SCAN, KARYOTYPE_SCAN, NOTATION_SCAN } from '../src/extract/cytogenetics.ts';

const CASES = 1500;
/** Pieces every text is also made of: spacing, punctuation, a character that lower-casing lengthens ("İ"). */
const COMMON = [' ', ' ', '  ', '\n', '\t', '\u00a0', ',', '.', ';', ':', '-', '/', '(', ')', 'a', 'x', 'İ', '2'];

function prng(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
const fixtures = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.note'))
  .map((f) => readFileSync(SAMPLES + f, 'utf8'));

/** Random texts from the vocabulary: words run together or spaced, and fixture excerpts with words spliced in. */
function* texts(vocabulary: readonly string[], seed: number): Generator<string> {
  const random = prng(seed);
  const pieces = [...vocabulary, ...COMMON];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < CASES; i++) {
    let text = '';
    if (i % 10 === 0) {
      const note = pick(fixtures);
      const at = Math.floor(random() * note.length);
      text = note.slice(at, at + 300);
      for (let j = 0; j < 5; j++) {
        const into = Math.floor(random() * (text.length + 1));
        text = text.slice(0, into) + pick(vocabulary) + text.slice(into);
      }
    } else {
      const count = Math.floor(random() * 12);
      for (let j = 0; j < count; j++) text += pick(pieces) + (random() < 0.5 ? ' ' : '');
    }
    yield text;
  }
}

const matchesOf = (found: Iterable<RegExpExecArray>) =>
  [...found].map((m) => ({ index: m.index, strings: [...m], groups: m.groups ? { ...m.groups } : undefined }));

function checkScan(name: string, scan: NarrowedScan, vocabulary: readonly string[], seed: number): void {
  let matches = 0;
  for (const text of texts(vocabulary, seed)) {
    const full = matchesOf(foldedMatchAll(text, scan.pattern));
    matches += full.length;
    assert.deepEqual(matchesOf(scanMatches(text, scan)), full, `${name}: ${JSON.stringify(text)}`);
    // The same matches, with a case-insensitive pattern's strings in lower case where lower-casing keeps offsets.
    const folds = scan.pattern.ignoreCase && text.toLowerCase().length === text.length;
    const lower = (s: string | undefined) => (folds ? s?.toLowerCase() : s);
    assert.deepEqual(
      matchesOf(scanLowerCaseMatches(text, scan)),
      full.map(({ index, strings, groups }) => ({
        index,
        strings: strings.map(lower),
        groups: groups && Object.fromEntries(Object.entries(groups).map(([key, value]) => [key, lower(value)])),
      })),
      `${name} in lower case: ${JSON.stringify(text)}`,
    );
  }
  // A vocabulary that never forms a match would check nothing.
  assert.ok(matches >= 5, `${name}: only ${matches} matches in ${CASES} texts`);
}

function checkLead(name: string, lead: NarrowedLead, vocabulary: readonly string[], seed: number): void {
  for (const text of texts(vocabulary, seed)) {
    for (let at = 0; at <= text.length; at++) {
      const from = Math.max(0, at - lead.lookBack);
      const full = foldedSuffixLength(text, lead.lead, from, at);
      assert.equal(leadLength(text, lead, at), full, `${name} at ${at}: ${JSON.stringify(text)}`);
    }
  }
}

function checkHeads(name: string, heads: NarrowedHeads, vocabulary: readonly string[], seed: number): void {
  for (const text of texts(vocabulary, seed)) {
    const full = [...foldedHits(text, heads.pattern)].map((m) => m.index);
    assert.deepEqual(heads.find(text), full, `${name}: ${JSON.stringify(text)}`);
  }
}

const NUMBERS = ['0', '1', '3', '12', '15', '123', '1.5', '2.3', '.5', '10', '100', '2018'];

test('string search finds every occurrence, overlapping ones too', () => {
  const random = prng(7);
  for (let i = 0; i < 3000; i++) {
    let haystack = '';
    for (let j = Math.floor(random() * 30); j > 0; j--) haystack += 'abxfoa '[Math.floor(random() * 7)];
    for (const needle of ['a', 'ab', 'aba', 'of', 'xfo', 'oa a', 'bab']) {
      const naive = [...haystack].map((_, at) => at).filter((at) => haystack.startsWith(needle, at));
      assert.deepEqual(occurrencesOf(haystack, needle), naive, `${needle} in ${JSON.stringify(haystack)}`);
    }
  }
});

test('word heads are where the alternation of the words matches', () => {
  const sets = [['lymph', 'adenopathy', 'nodal', 'node'], ['margin'], ['ab', 'abc', 'b', 'ca'], ['aba', 'ab', 'bab']];
  const random = prng(11);
  for (let i = 0; i < 3000; i++) {
    let text = '';
    for (let j = Math.floor(random() * 20); j > 0; j--) text += 'abcnodlymphNODEAİ '[Math.floor(random() * 18)];
    for (const words of sets) {
      const alternation = new RegExp(words.join('|'), 'gi');
      assert.deepEqual(
        rareLiteralHits(text, words),
        [...text.matchAll(alternation)].map((m) => m.index),
        text,
      );
    }
  }
});

test('alternation hits take the leftmost hit, then the first alternative, and skip hits inside the last', () => {
  const text = 'aaaa abab';
  const hits = alternationHits([wordOffsets(text, 'ab'), wordOffsets(text, 'aa'), wordOffsets(text, 'bab')]);
  assert.deepEqual(
    hits,
    [...text.matchAll(/ab|aa|bab/g)].map((m) => m.index),
  );
  assert.deepEqual(ascendingOnce([[1, 4, 9], [0, 4], [], [2, 9, 11]]), [0, 1, 2, 4, 9, 11]);
  assert.deepEqual(ascendingOnce([[], [3, 5], []]), [3, 5]);
  assert.deepEqual(ascendingOnce([]), []);
});

test('node counts and node words: narrowed scans and the region-list lead', () => {
  const vocabulary = [
    ...NUMBERS,
    'of',
    'OF',
    ' of ',
    ' / ',
    'Of',
    'two',
    'fifteen',
    'twenty-one',
    'sixty',
    'lymph',
    'node',
    'nodes',
    'nodal',
    'adenopathy',
    'axillary',
    'para-aortic',
    'internal mammary',
    'porta hepatis',
    'level',
    'level II',
    'level 2a',
    'IIa',
    'iv',
    'R',
    'L',
    'r',
    'l',
    'left',
    'and',
    'or',
    ', and',
    'hilar',
    'iliac',
    'neck',
    'lateral pelvic sidewall',
    'sentinel',
    '(level I)',
    'regional',
  ];
  checkScan('DIGIT_COUNT', DIGIT_COUNT_SCAN, vocabulary, 1);
  checkScan('OF_HEAD', OF_HEAD_SCAN, vocabulary, 2);
  checkLead('REGION_LIST_LEAD', REGION_LIST_LEAD, vocabulary, 3);
});

test('disease status: abbreviations, status words and their modifiers', () => {
  const vocabulary = [
    'NED',
    'CR1',
    'CR',
    'pCR',
    'CRi',
    'sCR',
    'VGPR',
    'ned',
    'no',
    'No',
    'evidence',
    'no evidence of disease',
    'recurrence',
    'Recurrent',
    'relapsed',
    'progression',
    'progressive disease',
    'stable disease',
    'partial',
    'complete',
    'mixed',
    'response',
    'remission',
    'metabolic',
    'local',
    'locoregional',
    'distant',
    'biochemical',
    'nodal',
    'early',
    'pathological',
    'disease',
    'remissionno',
  ];
  checkScan('ABBREVIATION', ABBREVIATION_SCAN, vocabulary, 4);
  checkHeads('STATUS_HEADS', STATUS_HEADS, vocabulary, 5);
  checkLead('MODIFIER_LEAD', MODIFIER_LEAD, vocabulary, 6);
});

test('margins: the leads before "margin" and the resection class', () => {
  const vocabulary = [
    'margin',
    'margins',
    'MARGIN',
    'all',
    'other',
    'all other',
    'deep',
    'surgical',
    'radial',
    'bladder neck',
    'bladder  neck',
    'neck',
    'ink',
    'inked',
    'negative',
    'positive',
    'close',
    'uninvolved',
    'involved',
    'clear',
    'vaginal',
    'mucosal',
    'R0',
    'R1',
    'R2',
    'R-CHOP',
    'R3',
  ];
  checkLead('MARGIN_WORDS_LEAD', MARGIN_WORDS_LEAD, vocabulary, 7);
  checkLead('STATUS_LEAD', STATUS_LEAD, vocabulary, 8);
  checkScan('RESECTION_CLASS', RESECTION_CLASS_SCAN, vocabulary, 9);
});

test('lymphovascular invasion', () => {
  checkScan(
    'LVI',
    LVI_SCAN,
    [
      'LVI',
      'lvi',
      'LVSI',
      'EMVI',
      'ALI',
      'ali',
      'lymphovascular',
      'lympho-vascular',
      'lymphovascular space',
      'invasion',
      'lymphovasular',
      'lymphvascular',
      'lymph-vascular',
      'angiolymphatic',
      'lymphatic',
      'lymphatic and vascular',
      'vascular',
      'angioinvasion',
      'venous',
      '+',
      'positive',
      'negative',
      'normal',
    ],
    10,
  );
});

test('Gleason scores and grade groups', () => {
  const vocabulary = [
    ...NUMBERS,
    'Gleason',
    'GLEASON',
    "Gleason's",
    'score',
    'grade',
    'sum',
    '3+4',
    '4 + 3',
    '=7',
    '/10',
    'Grade Group',
    'grade group',
    'GG',
    'ISUP grade',
    'WHO grade group',
    'who',
    'GS',
    'gs',
    'lungs',
    '_',
  ];
  checkScan('GLEASON', GLEASON_SCAN, vocabulary, 11);
  checkScan('GRADE_GROUP', GRADE_GROUP_SCAN, vocabulary, 12);
});

test('performance status', () => {
  checkScan(
    'PS',
    PS_SCAN,
    [
      ...NUMBERS,
      'ECOG',
      'ecog',
      'Zubrod',
      'WHO',
      'KPS',
      'Karnofsky',
      'PS',
      'performance status',
      'performance',
      'status',
      'score',
      'of',
      'is',
      '=',
      '90',
      '%',
      '4',
    ],
    13,
  );
});

test('stage groups', () => {
  const vocabulary = [
    ...NUMBERS,
    'stage',
    'Stage',
    'STAGE',
    'FIGO',
    'Figo',
    'figo',
    'BCLC',
    'Binet',
    'Rai',
    'extensive',
    'Limited',
    'disease stage',
    'I',
    'II',
    'IIIC1',
    'IV',
    'IIB',
    'IA2',
    '4B',
    'A',
    'B',
    'D',
    'r',
  ];
  checkScan('STAGE', STAGE_SCAN, vocabulary, 14);
  checkScan('EXTENT', EXTENT_SCAN, vocabulary, 15);
});

test('TNM parts named in a key', () => {
  const vocabulary = [
    'T',
    'N',
    'M',
    'T.',
    'n',
    'stage',
    'STAGE',
    'Stage',
    'category',
    'Category',
    'is',
    '2a',
    '3',
    '0',
    'x',
    'X',
  ];
  checkScan('KEYED_PART', KEYED_PART_SCAN, vocabulary, 16);
});

test('tumour sizes', () => {
  checkScan(
    'SIZE',
    SIZE_SCAN,
    [
      ...NUMBERS,
      'x',
      'X',
      '×',
      '*',
      'cm',
      'mm',
      'CM',
      'MM',
      'Cm',
      'c',
      'm',
      'M',
      'C',
      '–',
      '-',
      '>',
      '≥',
      '²',
      'comment',
      'mmm',
    ],
    16,
  );
});

const RECEPTOR_WORDS = [
  'ER',
  'PR',
  'PgR',
  'HER2',
  'HER-2',
  'HER2/neu',
  'Her2',
  'AR',
  'er',
  'pr',
  'Er',
  'estrogen receptor',
  'oestrogen receptor',
  'progesterone receptor',
  'androgen receptor',
  'receptor',
  'status',
  'is',
  'are',
  'positive',
  'weakly positive',
  'low-positive',
  'negative',
  'equivocal',
  'low',
  'amplified',
  'not amplified',
  'non-amplified',
  'pos',
  'neg',
  '+',
  '+++',
  '−',
  '–',
  'IHC',
  'IHC score',
  '2+',
  '3',
  '(95%)',
  ', 15%',
  ', weak to moderate',
  'prior',
  'area',
  'her',
  '95%',
  '<1%',
  '< 1 %',
  '120%',
  '1+',
  '(3+)',
  '0',
  ':',
];

test('receptor results', () => {
  checkScan('RECEPTOR', RECEPTOR_SCAN, RECEPTOR_WORDS, 17);
  checkScan('NUMBER_RESULT', NUMBER_RESULT_SCAN, RECEPTOR_WORDS, 19);
});

test('CD markers', () => {
  checkScan('CD_MARKER', CD_MARKER_SCAN, [...NUMBERS, 'CD', 'CD20', 'CD45RO', 'cd3', 'CD1234', 'CD5a', 'D'], 18);
});

test('cytogenetic notations and karyotypes', () => {
  const vocabulary = [
    't(',
    'T(',
    'del(',
    'inv(',
    'dup(',
    'trisomy',
    'Monosomy',
    '4;14)',
    '9;22)(q34;q11.2)',
    '17p)',
    'X)',
    '12',
    '1q21',
    '1Q21',
    '17p13.12',
    'GAIN',
    '17p',
    'gain',
    'deletion',
    'loss',
    '46,XY',
    '46,XX',
    '47, XXY',
    ',+8',
    '[20]',
    '46,XY[20]',
    '47,XY,+8[12]',
    '/',
  ];
  checkScan('NOTATION', NOTATION_SCAN, vocabulary, 17);
  checkScan('ARM', ARM_SCAN, vocabulary, 18);
  checkScan('KARYOTYPE', KARYOTYPE_SCAN, vocabulary, 19);
});
