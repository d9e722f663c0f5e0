// Export over LSP: open notes are exported with their unsaved text and curation; a bad folder is reported.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { ExportResultMessage } from '@cancerllm/protocol';
import { LspSession } from './lsp-session.ts';

test('exporting open and workspace notes writes every format, with unsaved text', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'cancerllm-export-ws-'));
  writeFileSync(join(workspace, 'a.note'), 'Stage pT1 N0 M0.\n');
  writeFileSync(join(workspace, 'b.note'), 'Stage ypT2 N1 M0.\n');
  writeFileSync(join(workspace, 'readme.md'), 'not a note');
  const session = await LspSession.start({ settings: {}, workspaceFolders: [pathToFileURL(workspace).href] });
  try {
    const uri = pathToFileURL(join(workspace, 'a.note')).href;
    await session.open(uri, 'Stage pT3 N0 M0 (edited, unsaved).\n');
    const out = mkdtempSync(join(tmpdir(), 'cancerllm-export-out-'));
    const jsonl: ExportResultMessage = await session.connection.sendRequest('cancerllm/export', { format: 'jsonl', outDir: out });
    assert.deepEqual(jsonl, { written: 1, failures: [] });
    const lines = readFileSync(join(out, 'annotations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; mentions: Array<{ text: string }> });
    assert.deepEqual(lines.map((l) => [l.file.slice(workspace.length), l.mentions.map((m) => m.text)]), [
      ['/a.note', ['pT3 N0 M0']],
      ['/b.note', ['ypT2 N1 M0']],
    ]);
    const brat: ExportResultMessage = await session.connection.sendRequest('cancerllm/export', { format: 'brat', outDir: join(out, 'brat'), uris: [uri] });
    assert.deepEqual(brat, { written: 2, failures: [] });
    assert.deepEqual(readdirSync(join(out, 'brat')).sort(), ['a.ann', 'a.txt']);
  } finally {
    session.kill();
  }
});

test('an output folder that cannot be made is reported, not thrown', async () => {
  const session = await LspSession.start({ settings: {} });
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'cancerllm-export-bad-')), 'plain-file');
    writeFileSync(file, 'x');
    const result: ExportResultMessage = await session.connection.sendRequest('cancerllm/export', { format: 'fhir', outDir: join(file, 'sub'), uris: [] });
    assert.equal(result.written, 0);
    assert.match(result.failures[0]?.reason ?? '', /ENOTDIR|EEXIST/);
    const unknown: ExportResultMessage = await session.connection.sendRequest('cancerllm/export', { format: 'xml', outDir: '/tmp/x' });
    assert.deepEqual(unknown, { written: 0, failures: [{ file: '', reason: 'unknown export format "xml"' }] });
  } finally {
    session.kill();
  }
});
