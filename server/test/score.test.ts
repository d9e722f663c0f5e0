import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mention } from '@cancerllm/protocol';
import { compareNote, scoreNotes, valuesEqual } from '../src/evaluation/score.ts';

function mention(start: number, end: number, type: Mention['type'], value: Mention['value'] = {}, assertion: Mention['assertion'] = 'present'): Mention {
  return { start, end, text: 'x'.repeat(end - start), type, value, assertion };
}

test('an exact span match counts for strict and lenient', () => {
  const report = scoreNotes([compareNote([mention(0, 5, 'tnm')], [mention(0, 5, 'tnm')])]);
  assert.deepEqual(report.micro.strict, { p: 1, r: 1, f1: 1 });
  assert.deepEqual(report.micro.lenient, { p: 1, r: 1, f1: 1 });
});

test('an overlapping span counts only for lenient, and a different type never counts', () => {
  const report = scoreNotes([compareNote([mention(0, 5, 'tnm'), mention(10, 20, 'histology')], [mention(2, 8, 'tnm'), mention(10, 20, 'primary_site')])]);
  assert.equal(report.micro.strict.f1, 0);
  assert.deepEqual(report.micro.lenient, { p: 0.5, r: 0.5, f1: 0.5 });
  assert.equal(report.perType.histology?.support, 1);
  assert.equal(report.perType.primary_site?.support, 0);
});

test('one long prediction cannot match two gold mentions', () => {
  const report = scoreNotes([compareNote([mention(0, 3, 'treatment'), mention(5, 9, 'treatment')], [mention(0, 9, 'treatment')])]);
  assert.deepEqual(report.micro.lenient, { p: 1, r: 0.5, f1: 2 / 3 });
});

test('value and assertion accuracy are taken over lenient matches', () => {
  const gold = [mention(0, 5, 'lvi', { status: 'absent' }, 'present'), mention(10, 15, 'grade', { grade: 'G2' }, 'present')];
  const predicted = [mention(0, 5, 'lvi', { status: 'absent' }, 'negated'), mention(10, 15, 'grade', { grade: 'G3' }, 'present')];
  const report = scoreNotes([compareNote(gold, predicted)]);
  assert.equal(report.valueAccuracy, 0.5);
  assert.equal(report.assertionAccuracy, 0.5);
});

test('values compare strings without case, numbers exactly, and need the same keys', () => {
  assert.ok(valuesEqual({ site: 'Breast', icdo3: 'C50.4' }, { icdo3: 'C50.4', site: 'breast' }));
  assert.ok(!valuesEqual({ mm: 23 }, { mm: 22 }));
  assert.ok(!valuesEqual({ site: 'breast' }, { site: 'breast', icdo3: 'C50.9' }));
});

test('no predictions and no gold scores zero without dividing by zero', () => {
  const report = scoreNotes([compareNote([], [])]);
  assert.deepEqual(report.micro.lenient, { p: 0, r: 0, f1: 0 });
  assert.equal(report.notes, 1);
});
