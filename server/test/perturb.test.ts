import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mention } from '@cancerllm/protocol';
import type { GoldNote } from '../src/evaluation/gold.ts';
import { collectDonors, misspell, perturbNote } from '../src/evaluation/perturb.ts';

function note(text: string, spans: Array<[string, Mention['type'], Mention['value']]>): GoldNote {
  const mentions = spans.map(([surface, type, value]) => {
    const start = text.indexOf(surface);
    return { start, end: start + surface.length, text: surface, type, value, assertion: 'present' as const };
  });
  return { id: text.slice(0, 8), file: 'x.json', text, mentions };
}

function counter(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

const A = note('Left breast invasive ductal carcinoma, ER positive, started tamoxifen.', [
  ['Left', 'laterality', { laterality: 'left' }],
  ['breast', 'primary_site', { site: 'breast' }],
  ['invasive ductal carcinoma', 'histology', { histology: 'invasive ductal carcinoma' }],
  ['tamoxifen', 'treatment', { kind: 'drug', name: 'tamoxifen' }],
]);
const B = note('Right lung adenocarcinoma on osimertinib.', [
  ['Right', 'laterality', { laterality: 'right' }],
  ['lung', 'primary_site', { site: 'lung' }],
  ['adenocarcinoma', 'histology', { histology: 'adenocarcinoma' }],
  ['osimertinib', 'treatment', { kind: 'drug', name: 'osimertinib' }],
]);

function assertSound(perturbed: GoldNote): void {
  for (const m of perturbed.mentions) assert.equal(perturbed.text.slice(m.start, m.end), m.text);
}

test('a misspelling is one character edit inside the longest word', () => {
  const edited = misspell('invasive ductal carcinoma', counter([0.5, 0.1, 0.0]));
  assert.notEqual(edited, 'invasive ductal carcinoma');
  assert.ok(Math.abs(edited.length - 'invasive ductal carcinoma'.length) <= 1);
  assert.ok(edited.startsWith('invasive ductal c'));
});

test('rate 0 leaves the note as it was', () => {
  assert.deepEqual(perturbNote(A, 'misspelling', 0, Math.random, collectDonors([A, B])), A);
});

test('misspelling every mention keeps every gold span on its (changed) text', () => {
  const perturbed = perturbNote(A, 'misspelling', 1, counter([0.3, 0.7, 0.2, 0.9, 0.5]), collectDonors([A]));
  assertSound(perturbed);
  assert.notEqual(perturbed.text, A.text);
  assert.equal(perturbed.mentions.length, A.mentions.length);
});

test('a counterfactual swaps in another note\'s phenotype of the same type, with its value', () => {
  const perturbed = perturbNote(A, 'counterfactual', 1, counter([0]), collectDonors([A, B]));
  assertSound(perturbed);
  assert.equal(perturbed.text, 'Right lung adenocarcinoma, ER positive, started osimertinib.');
  assert.deepEqual(perturbed.mentions.find((m) => m.type === 'primary_site')?.value, { site: 'lung' });
});

test('the same seed gives the same perturbation', () => {
  const donors = collectDonors([A, B]);
  const run = () => perturbNote(A, 'misspelling', 0.5, counter([0.1, 0.6, 0.3, 0.8]), donors);
  assert.deepEqual(run(), run());
});
