// Workspace trust as far as an extension test can see it: test runners open the workspace trusted (VS Code trusts
// every workspace while running extension tests), so restricted mode itself is covered by the UI test
// (test/e2e/ui/editor.test.ts) in code-server.
import assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, diagnosticsWhere, EXTENSION_ID, openCopy, SAMPLE, tnmDiagnostic } from './notes.ts';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited'; restrictedConfigurations?: string[] } };
}

suite('Workspace trust', () => {
  suiteTeardown(closeAllEditors);

  test('the extension host sees limited support for untrusted workspaces in the manifest', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Manifest | undefined;
    assert.equal(manifest?.capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  test('in the trusted test workspace the extension annotates a note', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const note = await openCopy(SAMPLE, 'trusted.note');
    await diagnosticsWhere(note.uri, (ds) => tnmDiagnostic(ds) !== undefined, 'the TNM diagnostic');
  });
});
