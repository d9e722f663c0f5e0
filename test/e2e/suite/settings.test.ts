// Settings changed in the workspace take effect on open documents without a restart.
import assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  diagnosticsWhere,
  openCopy,
  positionOf,
  SAMPLE,
  setWorkspaceSetting,
  tnmDiagnostic,
} from './notes.ts';

suite('Settings', () => {
  teardown(async () => {
    await setWorkspaceSetting('diagnostics.severity', undefined);
    await setWorkspaceSetting('analysis.plaintextAndMarkdown', undefined);
    await closeAllEditors();
  });

  test('cancerllm.diagnostics.severity {"present": "warning"} turns present mentions into warnings', async () => {
    const note = await openCopy(SAMPLE, 'settings-severity.note');
    const before = await diagnosticsWhere(note.uri, (ds) => tnmDiagnostic(ds) !== undefined, 'the TNM diagnostic');
    assert.equal(tnmDiagnostic(before)?.severity, vscode.DiagnosticSeverity.Information);

    await setWorkspaceSetting('diagnostics.severity', { present: 'warning' });

    await diagnosticsWhere(
      note.uri,
      (ds) => tnmDiagnostic(ds)?.severity === vscode.DiagnosticSeverity.Warning,
      'the TNM diagnostic as a warning',
    );
  });

  test('cancerllm.analysis.plaintextAndMarkdown true makes a .txt file analysed', async () => {
    const text = await openCopy('plain-text-note.txt', 'settings-plain.txt');
    assert.equal(text.languageId, 'plaintext');
    const tnm = positionOf(text, 'pT1c');
    // Off (the default): the server does not analyse the file, so it has no hover for the TNM.
    const hoversOff = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      text.uri,
      tnm,
    );
    assert.equal(hoversOff.length, 0, 'no hover while plain text is not analysed');

    await setWorkspaceSetting('analysis.plaintextAndMarkdown', true);

    const diagnostics = await diagnosticsWhere(
      text.uri,
      (ds) => ds.some((d) => d.message.startsWith('TNM pT1c')),
      'a TNM diagnostic in the .txt file',
    );
    assert.equal(diagnostics.find((d) => d.message.startsWith('TNM pT1c'))?.source, 'rules');
  });
});
