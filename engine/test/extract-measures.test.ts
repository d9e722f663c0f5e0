import assert from 'node:assert/strict';
import { test } from 'node:test';
import { found } from './found.ts';

test('tumour size is the largest dimension in millimetres', () => {
  assert.deepEqual(found('Tumor size: 2.3 x 1.8 x 1.5 cm. Residual tumor 36 mm.', 'tumor_size'), [
    { text: '2.3 x 1.8 x 1.5 cm', value: { mm: 23 } },
    { text: '36 mm', value: { mm: 36 } },
  ]);
});

test('"in greatest dimension" after the tumour is its size; after a node or a specimen it is not', () => {
  assert.deepEqual(
    found(
      'Tumor size: 8.2 cm in greatest dimension. INVASIVE CARCINOMA MEASURES 3.0 CM IN GREATEST DIMENSION. ' +
        'Seven lymph nodes, ranging from 0.3 to 2.2 cm in greatest dimension. Fragment, 0.2 cm in greatest dimension.',
      'tumor_size',
    ),
    [
      { text: '8.2 cm', value: { mm: 82 } },
      { text: '3.0 CM', value: { mm: 30 } },
    ],
  );
});

test('a size written with a hyphen is a size', () => {
  assert.deepEqual(found('A 2.3-cm mass; sizes 2-3 cm.', 'tumor_size'), [{ text: '2.3-cm', value: { mm: 23 } }]);
});

test('a node deposit, a small nodule and a midline shift are not tumour sizes', () => {
  assert.deepEqual(
    found(
      'METASTATIC CARCINOMA, 4 MM, IN 1/1 LYMPH NODE. METASTATIC CARCINOMA IN 3 OF 7 LYMPH NODES, LARGEST FOCUS 4 MM. ' +
        'New 5 mm soft-tissue nodule; 4 mm right lower lobe nodule. 8 mm midline shift. Mass, 3.1 cm.',
      'tumor_size',
    ).map((m) => m.text),
    ['3.1 cm'],
  );
});

test('margins, distances, Breslow depth and node sizes are not tumour sizes', () => {
  assert.deepEqual(
    found(
      'Closest margin 3 mm. Lower edge 7 cm from the anal verge. Breslow 1.6 mm. Left axilla: 1.5 cm lymph node.',
      'tumor_size',
    ),
    [],
  );
});

test('node counts in digits and in words', () => {
  assert.deepEqual(
    found(
      'Metastatic carcinoma in 2 of 15 lymph nodes; sentinel nodes 0/3; two of fifteen lymph nodes positive.',
      'lymph_nodes',
    ),
    [
      { text: '2 of 15', value: { positive: 2, examined: 15 } },
      { text: '0/3', value: { positive: 0, examined: 3 } },
      { text: 'two of fifteen', value: { positive: 2, examined: 15 } },
    ],
  );
});

test('a count after a nodal category is a node count; a page count is not', () => {
  assert.deepEqual(
    found('pT3 pN1 (3/19), pMX. Page 2 / 2.', 'lymph_nodes').map((m) => [m.text, m.value]),
    [['3/19', { positive: 3, examined: 19 }]],
  );
});

test('core counts and dates are not node counts', () => {
  assert.deepEqual(found('Gleason 3+4=7 in 3/12 cores. Lymph node biopsy on 06/2025.', 'lymph_nodes'), []);
});

test('adenopathy statements are node mentions without counts', () => {
  assert.deepEqual(found('No retroperitoneal lymphadenopathy. Hilar and subcarinal adenopathy.', 'lymph_nodes'), [
    { text: 'retroperitoneal lymphadenopathy', value: {} },
    { text: 'Hilar and subcarinal adenopathy', value: {} },
  ]);
});

test('TNM with per-part prefixes and descriptors', () => {
  assert.deepEqual(found('Pathologic stage: pT2 pN1a(sn) cM0; clinical cT3N0M0.', 'tnm'), [
    { text: 'pT2 pN1a(sn) cM0', value: { prefix: 'p', t: 'T2', n: 'N1a', m: 'M0' } },
    { text: 'cT3N0M0', value: { prefix: 'c', t: 'T3', n: 'N0', m: 'M0' } },
  ]);
});

test('OCR variants of TNM: spaces, I for 1, O for 0, upper-case sub-letter', () => {
  assert.deepEqual(
    found('pT 2 N 0. pTIb NO MX. pT3A Nx. ypT1c', 'tnm').map((m) => m.value),
    [
      { prefix: 'p', t: 'T2', n: 'N0' },
      { prefix: 'p', t: 'T1b', n: 'N0', m: 'MX' },
      { prefix: 'p', t: 'T3a', n: 'NX' },
      { prefix: 'yp', t: 'T1c' },
    ],
  );
});

test('MRI sequences and vertebrae are not T categories', () => {
  assert.deepEqual(found('T2-weighted images; T1: intermediate signal; sclerotic T7 lesion', 'tnm'), []);
});

test('stage groups, FIGO stages and extent of disease', () => {
  assert.deepEqual(
    found('AJCC stage IIB. FIGO stage IIIC. FIGO 2023 IA2. Extensive-stage SCLC. Stage 4.', 'stage_group'),
    [
      { text: 'stage IIB', value: { stage: 'IIB' } },
      { text: 'FIGO stage IIIC', value: { stage: 'IIIC' } },
      { text: 'FIGO 2023 IA2', value: { stage: 'IA2' } },
      { text: 'Extensive-stage', value: { stage: 'extensive' } },
      { text: 'Stage 4', value: { stage: 'IV' } },
    ],
  );
});

test('grades from several systems map to G1–G4 or low/high', () => {
  assert.deepEqual(
    found(
      'Nottingham grade 2. Moderately differentiated. High-grade serous. FIGO grade 1. CNS WHO grade 4. Nottingham score 8/9.',
      'grade',
    ).map((m) => m.value.grade),
    ['G2', 'G2', 'high', 'G1', 'G4', 'G3'],
  );
});

test('toxicity grades and Grade Group are not tumour grades', () => {
  assert.deepEqual(found('Dose held for grade 2 neuropathy. Grade Group 3.', 'grade'), []);
});

test('Gleason score with grade group, and grade group alone', () => {
  assert.deepEqual(found('Gleason 4+3=7 (Grade Group 3). Later: Grade Group 2.', 'gleason'), [
    { text: 'Gleason 4+3=7 (Grade Group 3)', value: { primary: 4, secondary: 3, total: 7, gradeGroup: 3 } },
    { text: 'Grade Group 2', value: { gradeGroup: 2 } },
  ]);
});

test('a Gleason total with its patterns in parentheses', () => {
  assert.deepEqual(
    found('Gleason 7 (3+4). Gleason 8 (3+4) does not add up.', 'gleason').map((m) => m.value),
    [{ primary: 3, secondary: 4, total: 7 }, { total: 8 }],
  );
});

test('a stage after a colon or "stage group"; a T, N or M category stage is not a stage group', () => {
  assert.deepEqual(
    found('Pathologic stage: IIB. AJCC stage group IA. Stage:IV. T Stage: 3 N Stage: 0 M Stage: 0', 'stage_group').map(
      (m) => [m.text, m.value],
    ),
    [
      ['stage: IIB', { stage: 'IIB' }],
      ['stage group IA', { stage: 'IA' }],
      ['Stage:IV', { stage: 'IV' }],
    ],
  );
});
