// A sample note in the editor: activation, diagnostics, hover, code lenses and their commands, through the vscode
// API against the extension and its language server as VS Code runs them.
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { captureWarnings } from './notifications.ts';
import {
  closeAllEditors,
  diagnosticsWhere,
  EXTENSION_ID,
  openCopy,
  positionOf,
  SAMPLE,
  SAMPLE_TNM,
  tnmDiagnostic,
} from './notes.ts';

suite('A sample note in the editor', () => {
  let note: vscode.TextDocument;
  let diagnostics: vscode.Diagnostic[];

  suiteSetup(async () => {
    note = await openCopy(SAMPLE, 'editor-features.note');
    diagnostics = await diagnosticsWhere(
      note.uri,
      (ds) => tnmDiagnostic(ds) !== undefined,
      `the diagnostic "${SAMPLE_TNM.message}"`,
    );
  });
  suiteTeardown(closeAllEditors);

  test('opening a .note file activates the extension (language clinical-note)', () => {
    assert.equal(note.languageId, 'clinical-note');
    // Nothing in the suite calls activate(): the onLanguage:clinical-note activation event did.
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  test('the rule engine reports the sample TNM as a diagnostic from "rules", among many mentions', () => {
    const tnm = tnmDiagnostic(diagnostics);
    assert.ok(tnm, 'a TNM diagnostic');
    assert.equal(tnm.source, 'rules');
    assert.equal(note.getText(tnm.range), SAMPLE_TNM.text);
    assert.equal(tnm.severity, vscode.DiagnosticSeverity.Information, 'present mentions default to information');
    // The engine grows: the sample has well over ten phenotype mentions (site, histology, grade, size, receptors...).
    assert.ok(diagnostics.length >= 10, `at least 10 diagnostics, got ${diagnostics.length}`);
  });

  test('hovering the TNM span shows its markdown description', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      note.uri,
      positionOf(note, SAMPLE_TNM.text),
    );
    const text = hovers
      .flatMap((hover) => hover.contents.map((part) => (typeof part === 'string' ? part : part.value)))
      .join('\n');
    assert.match(text, /\*\*TNM\*\*/);
  });

  test('code lenses offer the summary, then Generate Diagnosis and Generate Treatment Plan', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      note.uri,
      10,
    );
    const commands = lenses.map((lens) => lens.command?.command).filter((command) => command?.startsWith('cancerllm.'));
    assert.deepEqual(commands.slice(0, 3), [
      'cancerllm.showSummary',
      'cancerllm.generateDiagnosis',
      'cancerllm.generateTreatmentPlan',
    ]);
  });

  test('the summary lens command opens a markdown "Phenotype summary" table', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      note.uri,
      10,
    );
    const summary = lenses.find((lens) => lens.command?.command === 'cancerllm.showSummary')?.command;
    assert.ok(summary, 'a summary lens');
    await vscode.commands.executeCommand(summary.command, ...((summary.arguments ?? []) as unknown[]));
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.languageId, 'markdown');
    const text = shown.getText();
    assert.match(text, /^# Phenotype summary$/m);
    assert.match(text, /^\| Phenotype \| Found \|$/m);
    assert.match(text, /^\| TNM \| .*pT2 N1a M0.* \|$/m);
  });

  for (const [command, action] of [
    ['cancerllm.generateTreatmentPlan', 'Generate Treatment Plan'],
    ['cancerllm.generateDiagnosis', 'Generate Diagnosis'],
  ] as const) {
    test(`${command} without a model shows a warning that a model is needed, and does not throw`, async () => {
      const shown = await captureWarnings(() => vscode.commands.executeCommand(command, note.uri.toString()));
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0] ?? '',
        new RegExp(`^CancerLLM: ${action} needs a language model, and none is configured\\.`),
      );
    });
  }
});
