// Pathology reports often write whole sections in capitals ("METASTATIC CARCINOMA IN 2 OF 18 LYMPH NODES"). A note
// written in capitals must give the mentions its mixed-case form gives: same spans, values and assertions. Checked
// on the gold notes upper-cased, and on forms that only capitals write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { analyzeNote } from '../src/index.ts';
import { goldNotes } from './gold-notes.ts';

const notes = goldNotes();

/** A mention as the scorer compares it: string values in any case ("CARBOPLATIN/PACLITAXEL" is the regimen). */
function key(m: AnnotatedMention): string {
  const value = JSON.stringify(m.value, (_, v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  return `${m.type} ${m.start}-${m.end} ${value} ${m.assertion}`;
}

function found(text: string): string[] {
  return analyzeNote(text).mentions.map(key);
}

function written(text: string): Array<{ type: string; text: string; value: unknown; assertion: string }> {
  return analyzeNote(text).mentions.map(({ type, text, value, assertion }) => ({ type, text, value, assertion }));
}

/**
 * Mentions a capital form cannot keep: "PTA" is also an abbreviation (percutaneous transluminal angioplasty), so a
 * capital "a" after T is not read as "Ta".
 */
const LOST_IN_CAPITALS = new Set(['tnm pTa']);

test('a gold note written in capitals gives the same mentions', () => {
  const differences: string[] = [];
  for (const { file, text } of notes) {
    const capitals = text.toUpperCase();
    if (capitals.length !== text.length) continue;
    const mixed = new Set(found(text));
    const upper = new Set(found(capitals));
    for (const m of analyzeNote(text).mentions) {
      if (!upper.has(key(m)) && !LOST_IN_CAPITALS.has(`${m.type} ${m.text}`))
        differences.push(`${file}: lost ${m.type} "${m.text}"`);
    }
    for (const m of upper) if (!mixed.has(m)) differences.push(`${file}: found only in capitals: ${m}`);
  }
  assert.deepEqual(differences, []);
});

test('node counts with a capital "OF"', () => {
  assert.deepEqual(written('METASTATIC ADENOCARCINOMA IN 2 OF 18 REGIONAL LYMPH NODES.'), [
    { type: 'lymph_nodes', text: '2 OF 18', value: { positive: 2, examined: 18 }, assertion: 'present' },
  ]);
});

test('TNM in capitals, and capital words that are not TNM', () => {
  assert.deepEqual(written('PATHOLOGIC STAGE: YPT3C YPN1A(SN) CM0'), [
    {
      type: 'tnm',
      text: 'YPT3C YPN1A(SN) CM0',
      value: { prefix: 'yp', t: 'T3c', n: 'N1a', m: 'M0' },
      assertion: 'present',
    },
  ]);
  assert.deepEqual(written('CLINICAL STAGE CT2A N0 M0.')[0]?.value, { prefix: 'c', t: 'T2a', n: 'N0', m: 'M0' });
  for (const text of ['PT IS A 60 YO MAN.', 'CT 3 MONTHS AGO WAS CLEAR.', 'SEEN BY RN 2 DAYS AGO.', 'HX OF UTI.'])
    assert.deepEqual(
      written(text).filter((m) => m.type === 'tnm'),
      [],
      text,
    );
});

test('case-sensitive markers with small letters are also found in capitals, and lists joined by "AND"', () => {
  assert.deepEqual(
    written('P53: ABERRANT. KRAS AND NRAS WILD-TYPE.').map((m) => m.value),
    [
      { marker: 'p53', result: 'aberrant' },
      { marker: 'KRAS', result: 'wild type' },
      { marker: 'NRAS', result: 'wild type' },
    ],
  );
  // A list's result is a whole word: "highlight" is not "high".
  assert.deepEqual(written('SOX10 and Melan-A highlight the deposit.'), []);
});

test('stage, performance status, grade and units written in capitals', () => {
  const text =
    'FIGO 2018 STAGE IIIC1R. BCLC STAGE B. ECOG 2 (WAS 3 ON ADMISSION). NOTTINGHAM GRADE 2 (SCORE 6/9). CA-125 1,240 U/ML.';
  assert.deepEqual(
    written(text).map((m) => [m.text, m.value]),
    [
      ['STAGE IIIC1R', { stage: 'IIIC1r' }],
      ['BCLC STAGE B', { stage: 'B' }],
      ['ECOG 2', { scale: 'ECOG', score: 2 }],
      ['3', { scale: 'ECOG', score: 3 }],
      ['NOTTINGHAM GRADE 2 (SCORE 6/9)', { grade: 'G2' }],
      ['CA-125 1,240 U/ML', { marker: 'CA-125', numeric: 1240, unit: 'U/mL' }],
    ],
  );
});

test('performance status and stage typed in small letters', () => {
  assert.deepEqual(
    written('ecog 1, kps 90. stage iiic ovarian cancer; Stage iv. patients who 2 years ago').map((m) => [
      m.text,
      m.value,
    ]),
    [
      ['ecog 1', { scale: 'ECOG', score: 1 }],
      ['kps 90', { scale: 'KPS', score: 90 }],
      ['stage iiic', { stage: 'IIIC' }],
      ['ovarian cancer', { site: 'ovary', icdo3: 'C56.9' }],
      ['Stage iv', { stage: 'IV' }],
    ],
  );
});
