// `cancerllm eval-negex`: file parsing, condition lookup, scoring, and the command's exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { locateCondition, parseNegexFile, predictAssertion, scoreNegex } from '../src/evaluation/negex.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const HEADER = 'line number\tCondition\tsentence\tnegation_status\ttemporality\texperiencer';
const SAMPLE = [
  HEADER,
  '1\tedema\tExtremities reveal no peripheral cyanosis or EDEMA.\tNegated\tRecent\tPatient',
  '2\tpneumonia\tChest film shows PNEUMONIA.\tAffirmed\tRecent\tPatient',
  '3\tcolon cancer\tMother with COLON CANCER.\tAffirmed\tRecent\tOther',
  '4\tstroke\tHistory of STROKE in 2001.\tAffirmed\tHistorical\tPatient',
  '5\tsepsis\tNot in this sentence.\tAffirmed\tRecent\tPatient',
].join('\n');

test('the header row is skipped and six columns are read per row', () => {
  const parsed = parseNegexFile(SAMPLE);
  assert.ok(parsed.ok);
  assert.equal(parsed.rows.length, 5);
  assert.deepEqual(parsed.rows[0], {
    line: 1,
    condition: 'edema',
    sentence: 'Extremities reveal no peripheral cyanosis or EDEMA.',
    negation: 'Negated',
    temporality: 'Recent',
    experiencer: 'Patient',
  });
});

test('a row with missing columns is reported with its line', () => {
  const parsed = parseNegexFile(`${HEADER}\n1\tedema\tNo edema.`);
  assert.equal(parsed.ok, false);
  assert.match(parsed.ok ? '' : parsed.message, /line 2: expected 6/);
});

test('the condition is found ignoring case and blank runs', () => {
  assert.deepEqual(locateCondition('No peripheral EDEMA.', 'edema'), { start: 14, end: 19 });
  assert.deepEqual(locateCondition('Severe COLON\n   CANCER here', 'colon cancer'), { start: 7, end: 22 });
  assert.equal(locateCondition('Nothing here.', 'sepsis'), undefined);
});

test('the assertion pass labels the sample rows', () => {
  assert.equal(
    predictAssertion('Extremities reveal no peripheral cyanosis or EDEMA.', { start: 45, end: 50 }),
    'negated',
  );
  assert.equal(predictAssertion('Chest film shows PNEUMONIA.', { start: 17, end: 26 }), 'present');
  assert.equal(predictAssertion('Mother with COLON CANCER.', { start: 12, end: 24 }), 'family');
});

test('scores count rows whose condition is missing apart', () => {
  const parsed = parseNegexFile(SAMPLE);
  assert.ok(parsed.ok);
  const report = scoreNegex(parsed.rows);
  assert.equal(report.rows, 5);
  assert.equal(report.notFound, 1);
  assert.equal(report.scored, 4);
  assert.deepEqual([report.negation.tp, report.negation.fp, report.negation.fn], [1, 0, 0]);
  assert.equal(report.negation.f1, 1);
  assert.equal(report.family.tp, 1);
  assert.equal(report.historical.tp, 1);
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'server/src/cli/main.ts'), 'eval-negex', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the command prints one JSON object with --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'negex-'));
  const file = join(dir, 'sample.txt');
  writeFileSync(file, SAMPLE);
  const result = cli(file, '--json');
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { rows: number; negation: { f1: number } };
  assert.equal(report.rows, 5);
  assert.equal(report.negation.f1, 1);
});

test('the command exits 2 with a message on an unreadable file', () => {
  const result = cli('/nonexistent/rsAnnotations.txt');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read \/nonexistent\/rsAnnotations.txt \(ENOENT\)/);
});

test('the command exits 2 on a file without annotated rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'negex-'));
  const file = join(dir, 'empty.txt');
  writeFileSync(file, `${HEADER}\n`);
  const result = cli(file);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /no annotated rows/);
});
