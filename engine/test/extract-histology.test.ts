import assert from 'node:assert/strict';
import { test } from 'node:test';
import { found } from './found.ts';

test('the longest histology phrase wins, with its ICD-O-3 morphology code', () => {
  assert.deepEqual(found('Invasive ductal carcinoma, Nottingham grade 2.', 'histology'), [
    { text: 'Invasive ductal carcinoma', value: { histology: 'invasive ductal carcinoma', icdo3: '8500/3' } },
  ]);
});

test('abbreviations are read in their written case only', () => {
  assert.deepEqual(found('Left breast IDC and DCIS. all margins clear.', 'histology'), [
    { text: 'IDC', value: { histology: 'invasive ductal carcinoma', icdo3: '8500/3' } },
    { text: 'DCIS', value: { histology: 'ductal carcinoma in situ', icdo3: '8500/2' } },
  ]);
});

test('haematologic malignancies are covered', () => {
  assert.deepEqual(
    found('DLBCL; classical Hodgkin lymphoma; acute myeloid leukemia; multiple myeloma', 'histology').map(
      (m) => m.value.histology,
    ),
    ['diffuse large B-cell lymphoma', 'classical Hodgkin lymphoma', 'acute myeloid leukemia', 'plasma cell myeloma'],
  );
});

test('misspellings within the edit bound are normalized', () => {
  assert.deepEqual(found('INVASIVE ADENOCARCINMA; squamous cell carcinma', 'histology'), [
    { text: 'ADENOCARCINMA', value: { histology: 'adenocarcinoma', icdo3: '8140/3' } },
    { text: 'squamous cell carcinma', value: { histology: 'squamous cell carcinoma', icdo3: '8070/3' } },
  ]);
});

test('"negative for malignancy" names the malignancy; "metastatic carcinoma" in a node does not', () => {
  assert.deepEqual(
    found('Seminal vesicles: negative for malignancy. Metastatic carcinoma in 1/3 nodes.', 'histology'),
    [{ text: 'malignancy', value: { histology: 'malignant neoplasm', icdo3: '8000/3' } }],
  );
});
