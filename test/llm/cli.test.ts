// `cancerllm generate` and `cancerllm annotate --backend onnx|remote`, run from sources, against a tiny random
// model built here and the OpenAI-compatible stub on loopback. Model output is gibberish: structure is checked.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildTinyModel } from './tiny-model.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'server', 'src', 'cli', 'main.ts');

function cancerllm(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cancerllm with a model', () => {
  let dir: string;
  let modelDir: string;
  let notes: string;
  let stub: ChildProcess;
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cancerllm-cli-llm-'));
    modelDir = join(dir, 'tiny');
    buildTinyModel(modelDir, 3, 1024);
    notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'a.note'), 'FINAL DIAGNOSIS:\nInvasive ductal carcinoma, 2.5 cm.\n');
    writeFileSync(join(notes, 'b.note'), 'IMPRESSION:\nAdenocarcinoma of the sigmoid colon.\n');
    stub = spawn(process.execPath, [join(import.meta.dirname, 'openai-stub.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [port] = (await once(stub.stdout!, 'data')) as [Buffer];
    url = `http://127.0.0.1:${String(port).trim()}/v1`;
  });
  after(() => {
    stub.stdin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  test('generate diagnosis with a local model: one JSON line per note with model and prompt recorded', () => {
    const run = cancerllm(['generate', 'diagnosis', notes, '--model', modelDir, '--max-new-tokens', '6']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(
      lines.map((l) => [l.file?.endsWith('.note'), l.task, l.model, l.prompt, typeof l.text]),
      [
        [true, 'diagnosis', 'tiny', 'diagnosis@1', 'string'],
        [true, 'diagnosis', 'tiny', 'diagnosis@1', 'string'],
      ],
    );
  });

  test('generate --batch: drafts written as one batch equal those written one note at a time', () => {
    const batchNotes = join(dir, 'batch-notes');
    mkdirSync(batchNotes);
    const sections = ['FINAL DIAGNOSIS', 'IMPRESSION', 'ASSESSMENT AND PLAN', 'HISTORY'];
    sections.forEach((header, i) =>
      writeFileSync(join(batchNotes, `n${i}.note`), `${header}:\n${'Adenocarcinoma of the sigmoid colon. '.repeat(i + 1)}\n`),
    );
    const run = (batch: string) =>
      cancerllm(['generate', 'diagnosis', batchNotes, '--model', modelDir, '--max-new-tokens', '12', '--batch', batch, '--quiet']);
    const batched = run('8');
    const alone = run('1');
    assert.equal(batched.code, 0, batched.stderr);
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(batched.stdout.trim().split('\n').length, sections.length);
    assert.equal(batched.stdout, alone.stdout);
  });

  test('generate: a note too long for the context fails alone; the rest of its batch is written', () => {
    const mixed = join(dir, 'mixed-notes');
    mkdirSync(mixed);
    writeFileSync(join(mixed, 'a.note'), 'FINAL DIAGNOSIS:\nInvasive ductal carcinoma, 2.5 cm.\n');
    writeFileSync(join(mixed, 'b.note'), `FINAL DIAGNOSIS:\n${'Adenocarcinoma of the sigmoid colon. '.repeat(400)}\n`);
    writeFileSync(join(mixed, 'c.note'), 'IMPRESSION:\nAdenocarcinoma of the sigmoid colon.\n');
    const run = cancerllm(['generate', 'diagnosis', mixed, '--model', modelDir, '--max-new-tokens', '4', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const files = run.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { file: string }).file);
    assert.deepEqual(files, [join(mixed, 'a.note'), join(mixed, 'c.note')]);
    assert.match(run.stderr, /b\.note: .*context/);
    assert.doesNotMatch(run.stderr, /a\.note|c\.note/);
  });

  test('generate --batch outside 1..64 is a usage error', () => {
    const run = cancerllm(['generate', 'diagnosis', notes, '--model', modelDir, '--batch', '0']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--batch must be a whole number from 1 to 64 \(got 0\)/);
  });

  test('generate treatment-plan with the remote backend sends a chat request', () => {
    const run = cancerllm([
      'generate',
      'treatment-plan',
      join(notes, 'a.note'),
      '--backend',
      'remote',
      '--url',
      url,
      '--remote-model',
      'ok',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout) as unknown, {
      file: join(notes, 'a.note'),
      task: 'treatment-plan',
      model: 'ok',
      prompt: 'treatment-plan@1',
      text: 'Invasive ductal carcinoma.',
    });
  });

  test('annotate --backend remote: model answers become spans in the note', () => {
    const run = cancerllm([
      'annotate',
      join(notes, 'a.note'),
      '--backend',
      'remote',
      '--url',
      url,
      '--remote-model',
      'json',
      '--prompt-format',
      'chat',
      '--quiet',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const line = JSON.parse(run.stdout) as {
      mentions: Array<{ type: string; text: string; start: number; value: unknown }>;
    };
    assert.deepEqual(
      line.mentions.map((m) => [m.type, m.text, m.start, m.value]),
      [['tumor_size', '2.5 cm', 44, { mm: 25 }]],
    );
  });

  test('annotate --backend onnx with a local model runs to the end', () => {
    const run = cancerllm(['annotate', join(notes, 'b.note'), '--backend', 'onnx', '--model', modelDir, '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(Array.isArray((JSON.parse(run.stdout) as { mentions: unknown }).mentions));
  });

  test('eval and robustness score a model backend the same way as the rules', () => {
    const gold = join(dir, 'gold');
    mkdirSync(gold, { recursive: true });
    writeFileSync(join(gold, 'a.json'), JSON.stringify({ id: 'a', text: 'Left breast invasive ductal carcinoma, pT2 N0.', mentions: [{ start: 5, end: 11, type: 'primary_site', value: { site: 'breast' }, assertion: 'present' }] }));
    const evaluated = cancerllm(['eval', gold, '--backend', 'onnx', '--model', modelDir, '--max-new-tokens', '4', '--json']);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const report = JSON.parse(evaluated.stdout) as { notes: number; perType: Record<string, { support: number }> };
    assert.equal(report.notes, 1);
    assert.equal(report.perType.primary_site?.support, 1);
    const robust = cancerllm(['robustness', gold, '--backend', 'onnx', '--model', modelDir, '--max-new-tokens', '4', '--rates', '0', '--out', join(dir, 'rob'), '--json']);
    assert.equal(robust.code, 0, robust.stderr);
    const points = (JSON.parse(robust.stdout) as { points: Array<{ backend: string }> }).points;
    assert.deepEqual(points.map((p) => p.backend), ['onnx', 'onnx']);
  });

  test('a model backend without a model says which option is missing', () => {
    const run = cancerllm(['generate', 'diagnosis', notes]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /backend onnx needs --model DIR/);
  });

  test('a folder that is not a model says why', () => {
    const run = cancerllm(['annotate', notes, '--backend', 'onnx', '--model', notes]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /The model could not be loaded: /);
  });
});
