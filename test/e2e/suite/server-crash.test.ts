// The language server process killed under a real editor: the client restarts it, the open note is annotated again,
// and the user hears about it once, not once per crash (client/src/crash-policy.ts).
import assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { languageServerPid } from './language-server.ts';
import { MessageRecorder } from './notifications.ts';
import { closeAllEditors, diagnosticsWhere, openCopy, SAMPLE, SAMPLE_TNM, tnmDiagnostic } from './notes.ts';

const RESTARTED_WARNING =
  'CancerLLM: the language server stopped unexpectedly and was restarted. Your notes are unchanged.';

suite('Language server crash', () => {
  suiteTeardown(closeAllEditors);

  test('a killed server is restarted and re-annotates the open note; two crashes tell the user once', async () => {
    const note = await openCopy(SAMPLE, 'server-crash.note');
    const annotated = (what: string) => diagnosticsWhere(note.uri, (ds) => tnmDiagnostic(ds) !== undefined, what);
    await annotated(`the diagnostic "${SAMPLE_TNM.message}"`);
    // A manual restart makes crashes count afresh, whatever ran before this test.
    await vscode.commands.executeCommand('cancerllm.restartServer');
    await annotated('the TNM diagnostic after "Restart Language Server"');

    const messages = new MessageRecorder();
    try {
      for (const crash of ['first', 'second']) {
        const killed = languageServerPid();
        // Subscribed before the kill: the client drops the server's diagnostics when the connection closes.
        const cleared = diagnosticsWhere(note.uri, (ds) => ds.length === 0, `no diagnostics after the ${crash} crash`);
        process.kill(killed, 'SIGKILL');
        await cleared;
        await annotated(`the TNM diagnostic from the server restarted after the ${crash} crash`);
        const restarted = languageServerPid();
        assert.notEqual(restarted, killed, 'a new server process');
      }
    } finally {
      messages.dispose();
    }
    assert.deepEqual(messages.shown, [{ kind: 'warning', message: RESTARTED_WARNING }], 'one message for two crashes');
  });
});
