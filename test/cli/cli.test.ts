// The `cancerllm` command line, run as users and outside checks run it: the built dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const GOLD_DEV = join(REPO_ROOT, '..', 'shared', 'data', 'gold', 'dev');

function cancerllm(...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'cancerllm-cli-'));
}

test('annotate prints one JSON line per note with spec mentions', () => {
  const { code, stdout, stderr } = cancerllm('annotate', 'samples/');
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; mentions: Array<Record<string, unknown>> });
  assert.deepEqual(
    lines.map((l) => l.file),
    ['samples/breast-pathology.note', 'samples/colon-progress.note', 'samples/lung-consult.note'],
  );
  const tnm = lines[0]!.mentions.find((m) => m.type === 'tnm');
  assert.deepEqual(tnm && Object.keys(tnm).sort(), ['assertion', 'end', 'start', 'text', 'type', 'value']);
  assert.equal(tnm?.text, 'pT2 pN1a cM0');
});

test('annotate skips binary and missing files with a message and still annotates the rest', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'scan.note'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  writeFileSync(join(dir, 'ok.note'), 'pT1b N0 M0');
  const { code, stdout, stderr } = cancerllm('annotate', dir, join(dir, 'missing.note'));
  assert.equal(code, 0);
  assert.match(stderr, /skipped .*scan\.note: not a text file/);
  assert.match(stderr, /skipped .*missing\.note: ENOENT/);
  assert.equal(stdout.trim().split('\n').length, 1);
});

test('annotate with an unknown format or backend exits 2 and says what is available', () => {
  const format = cancerllm('annotate', '--format', 'xml', 'samples/');
  assert.equal(format.code, 2);
  assert.match(format.stderr, /format "xml" is not available/);
  const backend = cancerllm('annotate', '--backend', 'gpt', 'samples/');
  assert.equal(backend.code, 2);
  assert.match(backend.stderr, /unknown backend "gpt" \(expected one of: rules, onnx, remote\)/);
});

test('eval --json prints the contract object for the gold directory', () => {
  const { code, stdout, stderr } = cancerllm('eval', GOLD_DEV, '--json');
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as Record<string, unknown> & { micro: { strict: object; lenient: object }; perType: Record<string, { support: number }> };
  assert.deepEqual(Object.keys(report).sort(), ['assertionAccuracy', 'micro', 'notes', 'perType', 'valueAccuracy']);
  assert.ok((report.notes as number) > 0);
  assert.deepEqual(Object.keys(report.micro.lenient).sort(), ['f1', 'p', 'r']);
  assert.ok(report.perType.tnm && report.perType.tnm.support > 0);
});

test('eval exits 2 naming an unreadable directory', () => {
  const { code, stderr } = cancerllm('eval', '/no/such/gold');
  assert.equal(code, 2);
  assert.match(stderr, /cannot read gold directory \/no\/such\/gold/);
});

test('eval exits 2 naming a malformed gold file', () => {
  const dir = scratch();
  mkdirSync(join(dir, 'gold'));
  writeFileSync(join(dir, 'gold', 'a.json'), JSON.stringify({ text: 'pT2', mentions: [] }));
  writeFileSync(join(dir, 'gold', 'b.json'), '{"text": "pT2", "mentions": [');
  const { code, stderr } = cancerllm('eval', join(dir, 'gold'));
  assert.equal(code, 2);
  assert.match(stderr, /malformed gold file .*b\.json/);
});

test('eval exits 2 when a gold span lies outside its text', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ text: 'pT2', mentions: [{ start: 0, end: 9, type: 'tnm', value: {}, assertion: 'present' }] }));
  const { code, stderr } = cancerllm('eval', dir);
  assert.equal(code, 2);
  assert.match(stderr, /a\.json: mention 0: span 0-9 is outside the text/);
});

test('an unknown command exits 2 with usage', () => {
  const { code, stderr } = cancerllm('frobnicate');
  assert.equal(code, 2);
  assert.match(stderr, /unknown command "frobnicate"/);
  assert.match(stderr, /usage: cancerllm/);
});
