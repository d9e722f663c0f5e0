// The `cancerllm` command line, run as users and outside checks run it: the built dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  assert.match(stderr, /failed: .*scan\.note: not a text file \(contains NUL bytes\)/);
  assert.match(stderr, /skipped .*missing\.note: ENOENT/);
  assert.equal(stdout.trim().split('\n').length, 1);
});

test('annotate with an unknown format or backend exits 2 and says what is available', () => {
  const format = cancerllm('annotate', '--format', 'xml', 'samples/');
  assert.equal(format.code, 2);
  assert.match(format.stderr, /format "xml" is not available \(available: jsonl, brat, fhir\)/);
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

test('annotate --format brat writes .txt and .ann per note into --out', () => {
  const out = join(scratch(), 'brat');
  const { code, stderr } = cancerllm('annotate', '--format', 'brat', '--out', out, 'samples/');
  assert.equal(code, 0, stderr);
  assert.deepEqual(readdirSync(out).sort(), [
    '.cancerllm-manifest.jsonl',
    'breast-pathology.ann', 'breast-pathology.txt', 'colon-progress.ann', 'colon-progress.txt', 'lung-consult.ann', 'lung-consult.txt',
  ]);
  assert.equal(readFileSync(join(out, 'breast-pathology.txt'), 'utf8'), readFileSync(join(REPO_ROOT, 'samples', 'breast-pathology.note'), 'utf8'));
  assert.match(readFileSync(join(out, 'breast-pathology.ann'), 'utf8'), /^T\d+\ttnm \d+ \d+\tpT2 pN1a cM0$/m);
});

test('annotate --format fhir writes one R4 Bundle per note', () => {
  const out = join(scratch(), 'fhir');
  const { code, stderr } = cancerllm('annotate', '--format', 'fhir', '--out', out, 'samples/breast-pathology.note');
  assert.equal(code, 0, stderr);
  const bundle = JSON.parse(readFileSync(join(out, 'samples__breast-pathology.fhir.json'), 'utf8')) as { resourceType: string; entry: unknown[] };
  assert.equal(bundle.resourceType, 'Bundle');
  assert.ok(bundle.entry.length > 0);
});

test('brat and fhir need --out; nothing is written without it', () => {
  const { code, stderr } = cancerllm('annotate', '--format', 'fhir', 'samples/');
  assert.equal(code, 2);
  assert.match(stderr, /--format fhir writes files: give a folder with --out DIR/);
});

test('annotate applies the curation sidecar next to a note', () => {
  const dir = scratch();
  const note = join(dir, 'curated.note');
  writeFileSync(note, 'Stage pT2 N0 M0.\n');
  writeFileSync(`${note}.annotations.json`, JSON.stringify({
    format: 'cancerllm-annotations', version: 1, note: 'curated.note',
    decisions: [{ id: 'r1', action: 'reject', foundType: 'tnm', anchor: { start: 6, end: 15, text: 'pT2 N0 M0', before: 'Stage ', after: '.\n' }, decidedAt: '2026-11-28T00:00:00Z' }],
  }));
  const { code, stdout } = cancerllm('annotate', note);
  assert.equal(code, 0);
  const line = JSON.parse(stdout) as { mentions: Array<{ type: string }> };
  assert.equal(line.mentions.filter((m) => m.type === 'tnm').length, 0);
  assert.equal(existsSync(`${note}.annotations.json`), true);
});

test('eval --generated scores generated diagnoses against the gold references', () => {
  const dir = scratch();
  const gold = join(dir, 'gold');
  mkdirSync(gold);
  writeFileSync(join(gold, 'a.json'), JSON.stringify({ id: 'a', text: 'pT2 N0', mentions: [], diagnosis: 'police killed the gunman', treatment_plan: 'Surgery.' }));
  writeFileSync(join(dir, 'generated.jsonl'), `${JSON.stringify({ id: 'a', diagnosis: 'police kill the gunman' })}\n`);
  const { code, stdout, stderr } = cancerllm('eval', gold, '--generated', join(dir, 'generated.jsonl'), '--json');
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as { generation: { diagnosis: { n: number; exactMatch: number; bleu2: number; rougeL: number } } };
  const { n, exactMatch, bleu2, rougeL } = report.generation.diagnosis;
  assert.deepEqual([n, exactMatch, rougeL], [1, 0, 0.75]);
  // BLEU-2 = sqrt(3/4 unigram × 1/3 bigram precision) = 0.5, with no brevity penalty (equal lengths).
  assert.ok(Math.abs(bleu2 - 0.5) < 1e-12);
});

test('eval --generated and --pairs name a malformed line and exit 2', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'pairs.jsonl'), '{"prediction": "a", "reference": "a"}\n{oops\n');
  const pairs = cancerllm('eval', '--pairs', join(dir, 'pairs.jsonl'));
  assert.equal(pairs.code, 2);
  assert.match(pairs.stderr, /pairs\.jsonl line 2 is not valid JSON/);
  writeFileSync(join(dir, 'gen.jsonl'), '{"id": "nope", "diagnosis": "x"}\n');
  const generated = cancerllm('eval', GOLD_DEV, '--generated', join(dir, 'gen.jsonl'));
  assert.equal(generated.code, 2);
  assert.match(generated.stderr, /gen\.jsonl row 1: no gold note with id "nope"/);
});

test('a batch re-run skips finished notes and redoes one whose outputs went missing', () => {
  const out = join(scratch(), 'resume');
  const first = cancerllm('annotate', '--format', 'fhir', '--out', out, '--workers', '2', 'samples/');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /annotated 3 note\(s\) in [\d.]+ s, 0 failure\(s\)/);
  assert.match(first.stderr, /mentions: .*tnm \d+/);
  rmSync(join(out, 'lung-consult.fhir.json'));
  const second = cancerllm('annotate', '--format', 'fhir', '--out', out, 'samples/');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /annotated 1 note\(s\) in [\d.]+ s, skipped 2 already done, 0 failure\(s\)/);
  assert.equal(existsSync(join(out, 'lung-consult.fhir.json')), true);
});

test('batch JSONL into --out combines per-note parts into annotations.jsonl in input order', () => {
  const out = join(scratch(), 'jsonl');
  const { code, stderr } = cancerllm('annotate', '--out', out, '--workers', '2', 'samples/');
  assert.equal(code, 0, stderr);
  const files = readFileSync(join(out, 'annotations.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { file: string }).file);
  assert.deepEqual(files, ['samples/breast-pathology.note', 'samples/colon-progress.note', 'samples/lung-consult.note']);
});

test('--workers out of range exits 2 with a message', () => {
  const { code, stderr } = cancerllm('annotate', '--workers', '0', 'samples/');
  assert.equal(code, 2);
  assert.match(stderr, /--workers must be a whole number from 1 to 64 \(got 0\)/);
});

test('parallel workers print JSON lines in input order', () => {
  const serial = cancerllm('annotate', '--workers', '1', 'samples/');
  const parallel = cancerllm('annotate', '--workers', '3', 'samples/');
  assert.equal(parallel.code, 0);
  assert.equal(parallel.stdout, serial.stdout);
});

test('robustness writes the plot (SVG and PNG) and a reproducible table', () => {
  const out = join(scratch(), 'robustness');
  const run = () => cancerllm('robustness', GOLD_DEV, '--rates', '0,0.4', '--seed', '3', '--out', out, '--json');
  const first = run();
  assert.equal(first.code, 0, first.stderr);
  const result = JSON.parse(first.stdout) as { points: Array<{ kind: string; rate: number; f1: number }> };
  assert.deepEqual(result.points.map((p) => [p.kind, p.rate]), [['misspelling', 0], ['misspelling', 0.4], ['counterfactual', 0], ['counterfactual', 0.4]]);
  const clean = result.points.filter((p) => p.rate === 0).map((p) => p.f1);
  assert.equal(clean[0], clean[1], 'rate 0 is the unperturbed score for both kinds');
  assert.equal(run().stdout, first.stdout, 'the same seed gives the same numbers');
  assert.match(readFileSync(join(out, 'robustness.svg'), 'utf8'), /^<svg/);
  assert.deepEqual([...readFileSync(join(out, 'robustness.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]);
});

test('robustness rejects bad rates, and eval --report writes an HTML report', () => {
  const bad = cancerllm('robustness', GOLD_DEV, '--rates', '0,2');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--rates must be comma-separated numbers from 0 to 1/);
  const report = join(scratch(), 'report.html');
  const { code } = cancerllm('eval', GOLD_DEV, '--report', report);
  assert.equal(code, 0);
  assert.match(readFileSync(report, 'utf8'), /<h2>Worst notes<\/h2>/);
});

test('build-model writes a tiny random Mistral model folder; a missing checkpoint exits 2 naming the file', () => {
  const out = join(scratch(), 'model');
  const built = cancerllm('build-model', '--random', '--layers', '1', '--hidden', '32', '--out', out);
  assert.equal(built.code, 0, built.stderr);
  for (const file of ['model.onnx', 'model.onnx.data', 'genai_config.json', 'config.json', 'tokenizer.json']) assert.ok(existsSync(join(out, file)), file);
  const missing = cancerllm('build-model', '--checkpoint', '/no/such/checkpoint', '--out', join(out, 'x'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\/no\/such\/checkpoint\/config\.json missing/);
});
