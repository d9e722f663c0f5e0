// Protocol tests: the built server (dist/server.js) over stdio, driven by a real LSP client connection.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol/node';
import { LspSession, REPO_ROOT } from './lsp-session.ts';

const SAMPLE = readFileSync(join(REPO_ROOT, 'samples', 'breast-pathology.note'), 'utf8');
const FAST = { analysis: { debounceMs: 10 } };

let session: LspSession;
before(async () => {
  session = await LspSession.start({ settings: FAST });
});
after(() => session.kill());

test('initialize announces incremental text sync', async () => {
  const probe = await LspSession.start();
  try {
    const result = probe.initializeResult;
    assert.ok(result);
    const sync = result.capabilities.textDocumentSync;
    assert.ok(typeof sync === 'object' && sync.change === TextDocumentSyncKind.Incremental);
  } finally {
    probe.kill();
  }
});

test('a sample note gets diagnostics for its version, with the TNM in words', async () => {
  const uri = 'file:///notes/breast-pathology.note';
  await session.open(uri, SAMPLE);
  const published = await session.diagnosticsFor(uri, 1);
  const tnm = published.diagnostics.find((d) => d.code === 'tnm');
  assert.ok(tnm, 'a tnm diagnostic');
  assert.equal(tnm.message, 'TNM pT2 N1a M0');
  assert.equal(tnm.source, 'rules');
  const line = SAMPLE.split('\n')[tnm.range.start.line]!;
  assert.equal(line.slice(tnm.range.start.character, tnm.range.end.character), 'pT2 pN1a cM0');
});

test('incremental edits are applied and only the newest version is published', async () => {
  const uri = 'file:///notes/edits.note';
  await session.open(uri, 'Stage: pT1 N0 M0\n');
  // Two edits right behind the open: versions 1 and 2 are stale before their analysis could finish.
  await session.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } }, text: '3' }],
  });
  await session.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 13 } }, text: '2' }],
  });
  const published = await session.diagnosticsFor(uri, 3);
  assert.deepEqual(
    published.diagnostics.map((d) => d.message),
    ['TNM pT3 N2 M0'],
  );
  assert.deepEqual(
    session.diagnostics.filter((d) => d.uri === uri).map((d) => d.version),
    [3],
    'no diagnostics for versions that were no longer current',
  );
});

test('plain text is analysed only when the setting turns it on', async () => {
  const uri = 'file:///notes/plain.txt';
  await session.open(uri, 'Staging pT2 N1 M0.', 'plaintext');
  await session.open('file:///notes/marker.note', 'cT1 N0');
  await session.diagnosticsFor('file:///notes/marker.note');
  assert.equal(session.diagnostics.find((d) => d.uri === uri), undefined, 'plain text not analysed by default');

  session.settings = { analysis: { debounceMs: 10, plaintextAndMarkdown: true } };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const published = await session.diagnosticsFor(uri);
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['tnm']);
  session.settings = FAST;
});

test('a bad setting value gives a clear message and analysis still runs with the default', async () => {
  const probe = await LspSession.start({ settings: { analysis: { debounceMs: 'soon' } } });
  try {
    await probe.open('file:///notes/a.note', 'pT2 N0 M0');
    const published = await probe.diagnosticsFor('file:///notes/a.note');
    assert.equal(published.diagnostics.length, 1);
    const warning = await probe.waitFor(() => probe.warnings.find((w) => w.includes('debounceMs')), 'a settings warning');
    assert.match(warning, /cancerllm\.analysis\.debounceMs must be a whole number between 0 and 5000 \(got "soon"\); using 250/);
  } finally {
    probe.kill();
  }
});

test('closing a document clears its diagnostics', async () => {
  const uri = 'file:///notes/closing.note';
  await session.open(uri, 'ypT0 N0');
  await session.diagnosticsFor(uri, 1);
  await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const cleared = await session.waitFor(
    () => session.diagnostics.find((d) => d.uri === uri && d.version === undefined && d.diagnostics.length === 0),
    'cleared diagnostics',
  );
  assert.deepEqual(cleared.diagnostics, []);
});

test('an unknown request gets MethodNotFound and the server keeps serving', async () => {
  await assert.rejects(session.connection.sendRequest('cancerllm/noSuchMethod', {}), (error: { code?: number }) => error.code === -32601);
  await session.open('file:///notes/after-unknown.note', 'pT1a N0');
  assert.equal((await session.diagnosticsFor('file:///notes/after-unknown.note')).diagnostics.length, 1);
});

test('a malformed message does not kill the server', async () => {
  const probe = await LspSession.start({ settings: FAST });
  try {
    const garbage = '{"jsonrpc": "2.0", "method": ';
    probe.process.stdin.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    await probe.open('file:///notes/after-garbage.note', 'pT4 N3 M1');
    const published = await probe.diagnosticsFor('file:///notes/after-garbage.note');
    assert.equal(published.diagnostics.length, 1);
    assert.equal(await probe.stop(), 0);
  } finally {
    probe.kill();
  }
});

test('shutdown then exit ends the process with code 0', async () => {
  const probe = await LspSession.start();
  assert.equal(await probe.stop(), 0);
});
