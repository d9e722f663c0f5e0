import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mention } from '@cancerllm/protocol';
import { parseCsv } from '../src/evaluation/csv.ts';
import { parseTcgaCsv, pathologicT, scoreTcga } from '../src/evaluation/tcga.ts';

function tnm(text: string, written: string, value: Mention['value']): Mention {
  const start = text.indexOf(written);
  return { start, end: start + written.length, text: written, type: 'tnm', value, assertion: 'present' };
}

test('CSV fields may hold quotes, commas and line breaks', () => {
  const csv = parseCsv('id,label,text\r\na,1,"He said ""pT2"", then\nleft"\nb,0,plain\n');
  assert.deepEqual(csv, {
    ok: true,
    rows: [
      ['id', 'label', 'text'],
      ['a', '1', 'He said "pT2", then\nleft'],
      ['b', '0', 'plain'],
    ],
  });
});

test('an unclosed quote is a message naming its line', () => {
  assert.deepEqual(parseCsv('a,b\n1,"open\n'), {
    ok: false,
    message: 'quoted field starting on line 2 is never closed',
  });
});

test('TCGA rows need label 0–3 and a text column', () => {
  assert.deepEqual(parseTcgaCsv('patient_filename,label,text\nX,5,t\n'), {
    ok: false,
    message: 'row 2: label "5" is not 0–3',
  });
  assert.deepEqual(parseTcgaCsv('id,text\nX,t\n').ok, false);
  const ok = parseTcgaCsv('patient_filename,label,text\nTCGA-1,2,"pT3 N0"\n');
  assert.deepEqual(ok, { ok: true, reports: [{ id: 'TCGA-1', label: 2, text: 'pT3 N0' }] });
});

test('the first pathologic T in a staging context wins over an earlier one', () => {
  const text = 'Tumor invades submucosa (pT1). Pathologic stage: pT2 N0.';
  const mentions = [tnm(text, 'pT1', { prefix: 'p', t: 'T1' }), tnm(text, 'pT2 N0', { prefix: 'p', t: 'T2', n: 'N0' })];
  assert.equal(pathologicT(mentions, text), 2);
});

test('clinical T and Tis do not count; an unprefixed T counts only in a staging context', () => {
  const text = 'cT3 on imaging. Tis focus. TNM: T2 N1 M0.';
  const mentions = [
    tnm(text, 'cT3', { prefix: 'c', t: 'T3' }),
    tnm(text, 'Tis', { t: 'Tis' }),
    tnm(text, 'T2 N1 M0', { t: 'T2', n: 'N1', m: 'M0' }),
  ];
  assert.equal(pathologicT(mentions, text), 2);
  assert.equal(pathologicT(mentions.slice(0, 2), text), undefined);
});

test('a keyed synoptic T names its staging context itself', () => {
  const text = 'Procurement: surgery. Grade: 2. T Stage: 3 N Stage: 0 M Stage: 0';
  const keyed = tnm(text, 'T Stage: 3 N Stage: 0 M Stage: 0', { t: 'T3', n: 'N0', m: 'M0' });
  assert.equal(pathologicT([keyed], text), 3);
  const bare = 'Procurement: surgery. Grade: 2. Block T3 N0.';
  assert.equal(pathologicT([tnm(bare, 'T3 N0', { t: 'T3', n: 'N0' })], bare), undefined);
});

test('template text listing categories is not a finding', () => {
  const text = 'Tumor thickness (pT1 and pT2 tumors): 2 mm';
  assert.equal(pathologicT([tnm(text, 'pT1', { prefix: 'p', t: 'T1' })], text), undefined);
});

test('coverage and accuracy of found, by label', () => {
  const report = scoreTcga([
    { label: 0, predicted: 1, ms: 1, chars: 10 },
    { label: 0, predicted: undefined, ms: 1, chars: 10 },
    { label: 1, predicted: 3, ms: 1, chars: 10 },
  ]);
  assert.deepEqual(report.byLabel[0], {
    label: 'pT1',
    reports: 2,
    found: 1,
    right: 1,
    coverage: 0.5,
    accuracyOfFound: 1,
  });
  assert.deepEqual(report.byLabel[1], {
    label: 'pT2',
    reports: 1,
    found: 1,
    right: 0,
    coverage: 1,
    accuracyOfFound: 0,
  });
  assert.equal(report.overall.found, 2);
  assert.equal(report.errors, 0);
});
