// Curation over LSP: quick fixes offered on a mention, decisions persisted in the sidecar and merged into the
// published diagnostics, re-anchoring after edits, orphans reported, a corrupted sidecar left untouched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import type { CurateMentionArguments, CurateResult } from '@cancerllm/protocol';
import { LspSession } from './lsp-session.ts';

let session: LspSession;
before(async () => {
  session = await LspSession.start({ settings: { analysis: { debounceMs: 0 } } });
});
after(() => session.kill());

function noteFile(text: string): { path: string; uri: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'cancerllm-lsp-curation-')), 'case.note');
  writeFileSync(path, text);
  return { path, uri: pathToFileURL(path).href };
}

async function diagnosticsAfter(uri: string, version: number, count: number): Promise<Diagnostic[]> {
  // Each curation re-publishes the same version; wait for the count-th publication of that version.
  return session.waitFor(() => session.diagnostics.filter((d) => d.uri === uri && d.version === version)[count - 1]?.diagnostics, `publication ${count} of ${uri}`);
}

async function actionsAt(uri: string, line: number, from: number, to = from): Promise<CodeAction[]> {
  return session.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line, character: from }, end: { line, character: to } },
    context: { diagnostics: [] },
  });
}

function argsOf(action: CodeAction | undefined): CurateMentionArguments {
  assert.ok(action?.command?.arguments?.[0], 'a curation action with arguments');
  return action.command.arguments[0] as CurateMentionArguments;
}

test('quick fixes on a mention offer accept, reject, change type, edit value, set assertion', async () => {
  const { uri } = noteFile('Stage pT2 N0 M0.\n');
  await session.open(uri, 'Stage pT2 N0 M0.\n');
  await session.diagnosticsFor(uri, 1);
  const titles = (await actionsAt(uri, 0, 7)).map((a) => a.title);
  assert.deepEqual(titles, [
    'CancerLLM: Accept “TNM pT2 N0 M0”',
    'CancerLLM: Reject “TNM pT2 N0 M0”',
    'CancerLLM: Change Type… “TNM pT2 N0 M0”',
    'CancerLLM: Edit Value… “TNM pT2 N0 M0”',
    'CancerLLM: Set Assertion… “TNM pT2 N0 M0”',
  ]);
  const selection = await actionsAt(uri, 0, 0, 5);
  assert.deepEqual(selection.map((a) => a.title), ['CancerLLM: Add Phenotype…']);
});

test('reject removes the mention, writes the sidecar, and survives an edit above it', async () => {
  const text = 'Stage pT2 N0 M0.\nRestaged ypT1 N0.\n';
  const { path, uri } = noteFile(text);
  await session.open(uri, text);
  const first = await session.diagnosticsFor(uri, 1);
  assert.equal(first.diagnostics.length, 2);
  const reject = (await actionsAt(uri, 0, 7)).find((a) => a.title.startsWith('CancerLLM: Reject'));
  const args = argsOf(reject);
  const result: CurateResult = await session.connection.sendRequest('cancerllm/curate', {
    uri, version: args.version, action: 'reject', start: args.start, end: args.end, foundType: args.mention?.type,
  });
  assert.deepEqual(result, { ok: true });
  const after = await diagnosticsAfter(uri, 1, 2);
  assert.deepEqual(after.map((d) => d.message), ['TNM ypT1 N0']);
  const sidecar = JSON.parse(readFileSync(`${path}.annotations.json`, 'utf8')) as { decisions: Array<{ action: string; anchor: { text: string } }> };
  assert.deepEqual(sidecar.decisions.map((d) => [d.action, d.anchor.text]), [['reject', 'pT2 N0 M0']]);

  // Insert a line above: the rejection follows its text.
  await session.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ADDENDUM\n' }],
  });
  const moved = await session.diagnosticsFor(uri, 2);
  assert.deepEqual(moved.diagnostics.map((d) => d.message), ['TNM ypT1 N0']);
});

test('an accepted correction is shown as corrected, and an added phenotype as added', async () => {
  const text = 'Path stage pT2 N0.\nLeft breast mass.\n';
  const { uri } = noteFile(text);
  await session.open(uri, text);
  await session.diagnosticsFor(uri, 1);
  const edit = argsOf((await actionsAt(uri, 0, 12)).find((a) => a.title.startsWith('CancerLLM: Edit Value')));
  const corrected: CurateResult = await session.connection.sendRequest('cancerllm/curate', {
    uri, version: 1, action: 'accept', start: edit.start, end: edit.end, foundType: 'tnm',
    mention: { type: 'tnm', value: { prefix: 'p', t: 'T2', n: 'N0', m: 'M0' }, assertion: 'present' },
  });
  assert.deepEqual(corrected, { ok: true });
  const afterCorrection = await diagnosticsAfter(uri, 1, 2);
  assert.ok(afterCorrection.some((d) => d.message === 'TNM pT2 N0 M0 (corrected)'), JSON.stringify(afterCorrection));

  const start = text.indexOf('mass');
  const added: CurateResult = await session.connection.sendRequest('cancerllm/curate', {
    uri, version: 1, action: 'add', start, end: start + 4,
    mention: { type: 'histology', value: { histology: 'mass' }, assertion: 'possible' },
  });
  assert.deepEqual(added, { ok: true });
  const afterAdd = await diagnosticsAfter(uri, 1, 3);
  assert.ok(afterAdd.some((d) => d.message === 'histology mass — possible (added)' && d.source === 'curator'), JSON.stringify(afterAdd));
});

test('a decision for an outdated version or a span outside the note is refused, nothing written', async () => {
  const text = 'pT1 N0\n';
  const { path, uri } = noteFile(text);
  await session.open(uri, text);
  await session.diagnosticsFor(uri, 1);
  const stale: CurateResult = await session.connection.sendRequest('cancerllm/curate', { uri, version: 7, action: 'reject', start: 0, end: 6, foundType: 'tnm' });
  assert.deepEqual(stale, { ok: false, message: 'The note changed since this action was offered; try again.' });
  const outside: CurateResult = await session.connection.sendRequest('cancerllm/curate', { uri, version: 1, action: 'reject', start: 3, end: 99, foundType: 'tnm' });
  assert.deepEqual(outside, { ok: false, message: 'The span to curate is not inside the note.' });
  assert.equal(existsSync(`${path}.annotations.json`), false);
});

test('an annotation whose text was deleted is reported as orphaned and kept', async () => {
  const text = 'Stage pT3 N1 M0.\n';
  const { path, uri } = noteFile(text);
  await session.open(uri, text);
  await session.diagnosticsFor(uri, 1);
  await session.connection.sendRequest('cancerllm/curate', { uri, version: 1, action: 'accept', start: 6, end: 15, foundType: 'tnm', mention: { type: 'tnm', value: { prefix: 'p', t: 'T3', n: 'N1', m: 'M0' }, assertion: 'present' } });
  await diagnosticsAfter(uri, 1, 2);
  await session.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: 'Staging pending.\n' }],
  });
  const published = await session.diagnosticsFor(uri, 2);
  const orphan = published.diagnostics.find((d) => d.code === 'orphaned-annotation');
  assert.ok(orphan, JSON.stringify(published.diagnostics));
  assert.match(orphan.message as string, /Curated annotation of “pT3 N1 M0” \(TNM\) no longer matches the note text; it is kept/);
  assert.equal(orphan.severity, 2);
  const sidecar = JSON.parse(readFileSync(`${path}.annotations.json`, 'utf8')) as { decisions: unknown[] };
  assert.equal(sidecar.decisions.length, 1);
});

test('a corrupted sidecar is reported once and left untouched; analysis goes on', async () => {
  const text = 'pT2 N1 M0\n';
  const { path, uri } = noteFile(text);
  writeFileSync(`${path}.annotations.json`, 'not json at all');
  await session.open(uri, text);
  const published = await session.diagnosticsFor(uri, 1);
  assert.equal(published.diagnostics.length, 1);
  await session.waitFor(() => session.warnings.find((w) => w.includes('case.note.annotations.json is not usable: not valid JSON')), 'a sidecar warning');
  const refused: CurateResult = await session.connection.sendRequest('cancerllm/curate', { uri, version: 1, action: 'reject', start: 0, end: 9, foundType: 'tnm' });
  assert.equal(refused.ok, false);
  assert.equal(readFileSync(`${path}.annotations.json`, 'utf8'), 'not json at all');
});
