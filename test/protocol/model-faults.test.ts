// Model faults never take the editor down: a model folder deleted while loaded, a broken one, or ONNX Runtime
// running out of memory in the middle of a draft gives a clear answer to the generation request, the note and its
// curation stay as they were, and the server keeps annotating with the rule engine.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { parseModelFolder } from '@cancerllm/model-runtime';
import { GENERATION_PROGRESS_NOTIFICATION, type GenerationProgressParams } from '@cancerllm/protocol';
import { injectAllocationFault } from '../../model-runtime/test/fault-models.ts';
import { sectionsOf } from '../../server/src/llm/draft-generation.ts';
import { PromptSet } from '../../server/src/llm/prompts.ts';
import { buildTinyModel } from '../llm/tiny-model.ts';
import { LspSession, REPO_ROOT } from './lsp-session.ts';

type DraftResult = { ok: true } | { ok: false; reason: string; message: string; setting?: string };

async function generate(session: LspSession, uri: string, progressId: string): Promise<DraftResult> {
  return session.connection.sendRequest('cancerllm/generateDraft', { uri, task: 'diagnosis', progressId });
}

test('a model folder deleted while loaded: generation answers, rule diagnostics go on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cancerllm-fault-'));
  const modelDir = join(dir, 'model');
  buildTinyModel(modelDir, 21);
  const session = await LspSession.start({
    settings: { analysis: { debounceMs: 0 }, model: { path: modelDir, maxNewTokens: 4 } },
  });
  session.connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  try {
    await session.open('file:///notes/a.note', 'FINAL DIAGNOSIS: pT2 N0 M0.\n');
    await session.diagnosticsFor('file:///notes/a.note', 1);
    assert.equal((await generate(session, 'file:///notes/a.note', 'g1')).ok, true);
    rmSync(modelDir, { recursive: true, force: true });
    const second = await generate(session, 'file:///notes/a.note', 'g2');
    if (!second.ok) assert.match(second.message, /\S/, 'a failure says why');
    await session.open('file:///notes/b.note', 'Staging ypT1 N0.\n');
    const published = await session.diagnosticsFor('file:///notes/b.note', 1);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['tnm'],
    );
  } finally {
    session.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a broken model folder: a clear loading failure naming the problem, rule diagnostics unaffected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cancerllm-fault-broken-'));
  writeFileSync(join(dir, 'config.json'), '{ not json');
  const session = await LspSession.start({ settings: { analysis: { debounceMs: 0 }, model: { path: dir } } });
  try {
    await session.open('file:///notes/c.note', 'pT3 N1 M0\n');
    const published = await session.diagnosticsFor('file:///notes/c.note', 1);
    assert.equal(published.diagnostics.length, 1);
    const result = await generate(session, 'file:///notes/c.note', 'g3');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.reason, 'loading-failed');
      assert.match(result.message, /config\.json|genai_config\.json|model/i);
    }
  } finally {
    session.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Tokens of the diagnosis prompt the server renders for `note` (bundled prompts, alpaca format, the model's tokenizer). */
async function diagnosisPromptTokens(modelDir: string, note: string): Promise<number> {
  const prompts = PromptSet.load(join(REPO_ROOT, 'prompts'));
  if (!prompts.ok) assert.fail(prompts.message);
  const rendered = prompts.prompts.render('diagnosis', 'alpaca', { sections: sectionsOf(note) });
  if (rendered?.prompt.kind !== 'text') assert.fail('the diagnosis prompt renders as text in the alpaca format');
  const folder = await parseModelFolder(modelDir);
  if (!folder.ok) assert.fail(folder.problem.message);
  return folder.folder.tokenizer.encode(rendered.prompt.text).length;
}

test('out of memory in the middle of a draft: a clear answer, the note and its curation untouched, rules go on', async () => {
  const NOTE =
    'HISTORY:\nLeft breast mass.\n\nFINAL DIAGNOSIS:\nInvasive ductal carcinoma, grade 2, pT2 N1a M0.\n\nPLAN:\nSurgery.\n';
  const dir = mkdtempSync(join(tmpdir(), 'cancerllm-fault-oom-'));
  const modelDir = join(dir, 'model');
  buildTinyModel(modelDir, 21);
  // ONNX Runtime's own allocator fails (a 1 PiB request) once the sequence is 8 tokens past the prompt
  injectAllocationFault(modelDir, (await diagnosisPromptTokens(modelDir, NOTE)) + 8);
  const notePath = join(dir, 'case.note');
  writeFileSync(notePath, NOTE);
  const uri = pathToFileURL(notePath).href;
  const session = await LspSession.start({
    settings: { analysis: { debounceMs: 0 }, model: { path: modelDir, maxNewTokens: 64 } },
  });
  const edits: unknown[] = [];
  session.connection.onRequest('workspace/applyEdit', (params: unknown) => {
    edits.push(params);
    return { applied: true };
  });
  const progress: GenerationProgressParams[] = [];
  session.connection.onNotification(
    GENERATION_PROGRESS_NOTIFICATION,
    (p: GenerationProgressParams) => void progress.push(p),
  );
  try {
    await session.open(uri, NOTE);
    const first = await session.diagnosticsFor(uri, 1);
    assert.deepEqual(
      first.diagnostics.map((d) => d.code),
      ['laterality', 'primary_site', 'histology', 'grade', 'tnm'],
    );
    // curation before the fault: reject the TNM mention (written to the sidecar)
    const tnm = first.diagnostics.find((d) => d.code === 'tnm');
    const actions: CodeAction[] = await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: tnm!.range.start, end: tnm!.range.start },
      context: { diagnostics: [] },
    });
    const reject = actions.find((a) => a.title.startsWith('CancerLLM: Reject'));
    const args = reject?.command?.arguments?.[0] as {
      version: number;
      start: number;
      end: number;
      mention?: { type: string };
    };
    assert.deepEqual(
      await session.connection.sendRequest('cancerllm/curate', {
        uri,
        version: args.version,
        action: 'reject',
        start: args.start,
        end: args.end,
        foundType: args.mention?.type,
      }),
      { ok: true },
    );
    const sidecarPath = `${notePath}.annotations.json`;
    const sidecar = readFileSync(sidecarPath, 'utf8');

    const result = await generate(session, uri, 'oom');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.reason, 'generation-failed');
    assert.match(
      result.message,
      /^model failed: The computer ran out of memory while generating \(ONNX Runtime could not allocate 1\.00 PiB\)\. To fix it: lower the maximum new tokens or shorten the note, .*\. Nothing was inserted; the note is unchanged\.$/,
    );
    assert.equal(result.setting, 'cancerllm.model.maxNewTokens');
    for (const word of ['breast', 'ductal', 'pT2', 'Surgery'])
      assert.ok(!result.message.includes(word), `no note text: ${word}`);
    assert.ok(
      progress.some((p) => p.progressId === 'oom' && p.stage === 'generating' && p.chars > 0),
      'text streamed before the fault',
    );
    // the partial draft is discarded: no edit reached the editor, the file and the curation sidecar are as they were
    assert.deepEqual(edits, []);
    assert.equal(readFileSync(notePath, 'utf8'), NOTE);
    assert.equal(readFileSync(sidecarPath, 'utf8'), sidecar);

    // the rule engine goes on: an edit is annotated, and the rejection still holds
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ADDENDUM\n' },
      ],
    });
    const after = await session.diagnosticsFor(uri, 2);
    assert.deepEqual(
      after.diagnostics.map((d) => d.code),
      ['laterality', 'primary_site', 'histology', 'grade'],
    );
    // out of memory is not sticky: the same loaded model answers the next request (and runs out again here), with
    // the same message and setting, and the rule engine still serves afterwards
    const again = await generate(session, uri, 'oom-2');
    assert.deepEqual(again, result);
    assert.deepEqual(edits, []);
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }],
    });
    const last = await session.diagnosticsFor(uri, 3);
    assert.deepEqual(
      last.diagnostics.map((d) => d.code),
      ['laterality', 'primary_site', 'histology', 'grade'],
    );
  } finally {
    session.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
