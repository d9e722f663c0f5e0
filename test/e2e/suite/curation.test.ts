// Curation from the editor: the quick fix on a mention runs the client command, the server persists the decision in
// the note's sidecar, and the diagnostics follow it.
import assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, diagnosticsWhere, openCopy, positionOf, SAMPLE, SAMPLE_TNM, tnmDiagnostic } from './notes.ts';

interface Sidecar {
  decisions: Array<{ action: string; anchor: { text: string } }>;
}

suite('Curation quick fixes', () => {
  suiteTeardown(closeAllEditors);

  test('"Reject" on the TNM mention writes <note>.annotations.json and removes the TNM diagnostic', async () => {
    const note = await openCopy(SAMPLE, 'curation.note');
    await diagnosticsWhere(note.uri, (ds) => tnmDiagnostic(ds) !== undefined, `the diagnostic "${SAMPLE_TNM.message}"`);
    const at = positionOf(note, SAMPLE_TNM.text);
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      note.uri,
      new vscode.Range(at, at),
    );
    const reject = actions.find((action) => action.title === `CancerLLM: Reject “${SAMPLE_TNM.message}”`);
    assert.ok(reject, `a Reject action among ${JSON.stringify(actions.map((a) => a.title))}`);
    const command = reject instanceof vscode.CodeAction ? reject.command : reject;
    assert.equal(command?.command, 'cancerllm.curateMention');

    await vscode.commands.executeCommand(command.command, ...((command.arguments ?? []) as unknown[]));

    // The command resolves after the server answered, and the server answers after writing the sidecar.
    const sidecarUri = note.uri.with({ path: `${note.uri.path}.annotations.json` });
    const sidecar = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(sidecarUri))) as Sidecar;
    assert.deepEqual(
      sidecar.decisions.map((d) => [d.action, d.anchor.text]),
      [['reject', SAMPLE_TNM.text]],
    );
    const after = await diagnosticsWhere(
      note.uri,
      (ds) => ds.length > 0 && tnmDiagnostic(ds) === undefined,
      'the TNM diagnostic to disappear',
    );
    assert.ok(after.length >= 10, 'the other mentions stay');
  });
});
