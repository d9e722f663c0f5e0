// A huge note is analysed off the message loop: other requests are answered while it runs, a burst of edits ends
// with diagnostics for the final text, and nothing stale is published.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol/node';
import { LspSession } from './lsp-session.ts';

const CHUNK = 'Stage pT2 N1a M0. Ki-67 was 20 percent and the tumor measured 2.3 cm in greatest dimension.\n';

function bigNote(megabytes: number): string {
  return CHUNK.repeat(Math.ceil((megabytes * 1024 * 1024) / CHUNK.length));
}

test('a 10 MB note does not stop the server answering requests about other notes', async () => {
  const session = await LspSession.start({ settings: { analysis: { debounceMs: 0 } } });
  try {
    await session.open('file:///notes/small.note', 'pT1 N0 M0');
    await session.diagnosticsFor('file:///notes/small.note', 1);
    const big = 'file:///notes/huge.note';
    await session.open(big, bigNote(10));
    let bigPublished = false;
    const bigDone = session.diagnosticsFor(big, 1).then((d) => {
      bigPublished = true;
      return d;
    });
    // Sent after the big note: answered while the big analysis is still running in the worker.
    const hover: Hover | null = await session.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///notes/small.note' },
      position: { line: 0, character: 1 },
    });
    assert.ok(hover, 'the hover on the small note is answered');
    assert.equal(bigPublished, false, 'and answered before the 10 MB analysis finished');
    const published = await bigDone;
    assert.ok(published.diagnostics.length > 100_000, `diagnostics for the whole note (${published.diagnostics.length})`);
  } finally {
    session.kill();
  }
});

test('after 1,000 rapid edits the diagnostics are those of the final text', async () => {
  const session = await LspSession.start({ settings: { analysis: { debounceMs: 20 } } });
  try {
    const uri = 'file:///notes/burst.note';
    const text = bigNote(1);
    await session.open(uri, text);
    const lines = text.split('\n').length - 1;
    for (let version = 2; version <= 1001; version++) {
      // Each edit turns one more "pT2" into "pT3" from the top.
      const line = (version - 2) % lines;
      void session.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 8 }, end: { line, character: 9 } }, text: '3' }],
      });
    }
    const final = await session.diagnosticsFor(uri, 1001);
    const messages = final.diagnostics.filter((d) => d.code === 'tnm').map((d) => d.message);
    assert.equal(messages.filter((m) => m === 'TNM pT3 N1a M0').length, 1000);
    assert.equal(messages.length, lines);
    const versions = session.diagnostics.filter((d) => d.uri === uri).map((d) => d.version);
    assert.deepEqual(versions.filter((v) => v !== 1001 && v !== 1), [], `only the first or the final version is published, got ${versions.join(',')}`);
  } finally {
    session.kill();
  }
});
