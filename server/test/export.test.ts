import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '@medplum/fhirtypes';
import type { Mention } from '@cancerllm/protocol';
import { toBrat } from '../src/export/brat.ts';
import { toFhirBundle } from '../src/export/fhir.ts';

function at(text: string, surface: string, type: Mention['type'], value: Mention['value'], assertion: Mention['assertion'] = 'present'): Mention {
  const start = text.indexOf(surface);
  assert.ok(start >= 0, surface);
  return { start, end: start + surface.length, text: surface, type, value, assertion };
}

test('BRAT lines carry type, offsets, text, assertion attributes and values as notes', () => {
  const text = 'No LVI. ER positive (95%).';
  const brat = toBrat(text, [at(text, 'LVI', 'lvi', { status: 'absent' }, 'negated'), at(text, 'ER positive (95%)', 'receptor_status', { receptor: 'ER', status: 'positive', percent: 95 })]);
  assert.equal(brat.txt, text);
  assert.equal(
    brat.ann,
    [
      'T1\tlvi 3 6\tLVI',
      'A1\tAssertion T1 negated',
      '#1\tAnnotatorNotes T1\t{"status":"absent"}',
      'T2\treceptor_status 8 25\tER positive (95%)',
      '#2\tAnnotatorNotes T2\t{"receptor":"ER","status":"positive","percent":95}',
      '',
    ].join('\n'),
  );
});

test('BRAT offsets count code points, so text after an emoji keeps its place', () => {
  const text = '🩺 pT2 N0';
  const brat = toBrat(text, [at(text, 'pT2 N0', 'tnm', { prefix: 'p', t: 'T2', n: 'N0' })]);
  assert.equal(brat.ann.split('\n')[0], 'T1\ttnm 2 8\tpT2 N0');
  assert.equal([...text].slice(2, 8).join(''), 'pT2 N0');
});

test('a BRAT span across a line break becomes fragments', () => {
  const text = 'invasive ductal\r\ncarcinoma';
  const brat = toBrat(text, [{ start: 0, end: text.length, text, type: 'histology', value: {}, assertion: 'present' }]);
  assert.equal(brat.ann, 'T1\thistology 0 15;17 26\tinvasive ductal carcinoma\n');
});

const NOTE = 'Left breast invasive ductal carcinoma. pT2 N1a M0, stage IIB. ER positive (95%). HER2 negative. No family history; mother had KRAS+ tumor.';
const MENTIONS: Mention[] = [
  at(NOTE, 'Left', 'laterality', { laterality: 'left' }),
  at(NOTE, 'breast', 'primary_site', { site: 'breast', icdo3: 'C50.9' }),
  at(NOTE, 'invasive ductal carcinoma', 'histology', { histology: 'invasive ductal carcinoma', icdo3: '8500/3' }),
  at(NOTE, 'pT2 N1a M0', 'tnm', { prefix: 'p', t: 'T2', n: 'N1a', m: 'M0' }),
  at(NOTE, 'stage IIB', 'stage_group', { stage: 'IIB' }),
  at(NOTE, 'ER positive (95%)', 'receptor_status', { receptor: 'ER', status: 'positive', percent: 95 }),
  at(NOTE, 'HER2 negative', 'receptor_status', { receptor: 'HER2', status: 'negative' }),
  at(NOTE, 'KRAS+', 'biomarker', { marker: 'KRAS', result: 'positive' }, 'family'),
];

test('the FHIR bundle has an mCODE primary cancer condition with ICD-O-3 site and morphology', () => {
  const bundle = toFhirBundle(MENTIONS, { noteId: 'case-1.note' });
  assert.equal(bundle.type, 'collection');
  const condition = bundle.entry?.[0]?.resource;
  assert.ok(condition?.resourceType === 'Condition');
  assert.deepEqual(condition.meta?.profile, ['http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition']);
  assert.deepEqual(condition.bodySite?.[0]?.coding?.[0], { system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: 'C50.9' });
  assert.equal(condition.bodySite?.[0]?.text, 'left breast');
  assert.equal(condition.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code, '8500/3');
  assert.equal(condition.subject.display, 'Patient of note case-1.note');
});

test('the FHIR stage group is pathologic with T, N and M members', () => {
  const resources = (toFhirBundle(MENTIONS, { noteId: 'n' }).entry ?? []).map((e) => e.resource).filter((r): r is Observation => r?.resourceType === 'Observation');
  const group = resources.find((o) => o.meta?.profile?.[0]?.endsWith('mcode-tnm-stage-group'));
  assert.equal(group?.code.coding?.[0]?.code, '21902-2');
  assert.equal(group?.valueCodeableConcept?.text, 'Stage IIB');
  assert.equal(group?.hasMember?.length, 3);
  const t = resources.find((o) => o.code.coding?.[0]?.code === '21899-0');
  assert.equal(t?.valueCodeableConcept?.text, 'pT2');
});

test('FHIR tumour markers use LOINC and SNOMED results; family mentions are not exported', () => {
  const bundle = toFhirBundle(MENTIONS, { noteId: 'n' });
  const markers = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Observation => r?.resourceType === 'Observation' && !!r.meta?.profile?.[0]?.endsWith('tumor-marker-test'));
  assert.deepEqual(markers.map((m) => m.code.text), ['ER', 'HER2']);
  assert.equal(markers[0]?.code.coding?.[0]?.code, '16112-5');
  assert.equal(markers[0]?.valueCodeableConcept?.coding?.[0]?.code, '10828004');
  assert.deepEqual(markers[0]?.component?.[0]?.valueQuantity, { value: 95, unit: '%' });
  assert.equal(markers[1]?.valueCodeableConcept?.coding?.[0]?.code, '260385009');
  for (const e of bundle.entry ?? []) assert.match(e.fullUrl ?? '', /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('no phenotypes gives an empty bundle, not an error', () => {
  assert.deepEqual(toFhirBundle([], { noteId: 'empty' }), { resourceType: 'Bundle', type: 'collection', entry: [] });
});
