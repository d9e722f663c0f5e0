// Model faults never take the editor down: a model folder deleted while loaded, or a broken one, gives a clear
// answer to the generation request and the server keeps annotating with the rule engine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildTinyModel } from '../llm/tiny-model.ts';
import { LspSession } from './lsp-session.ts';

type DraftResult = { ok: true } | { ok: false; reason: string; message: string };

async function generate(session: LspSession, uri: string, progressId: string): Promise<DraftResult> {
  return session.connection.sendRequest('cancerllm/generateDraft', { uri, task: 'diagnosis', progressId });
}

test('a model folder deleted while loaded: generation answers, rule diagnostics go on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cancerllm-fault-'));
  const modelDir = join(dir, 'model');
  buildTinyModel(modelDir, 21);
  const session = await LspSession.start({ settings: { analysis: { debounceMs: 0 }, model: { path: modelDir, maxNewTokens: 4 } } });
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
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['tnm']);
  } finally {
    session.kill();
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
  }
});
