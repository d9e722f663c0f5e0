// What the integration tests share: notes copied into the test workspace under a name of their own (so no test sees
// another's sidecar or edits), and waits on VS Code events (diagnostics, configuration) that always end.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'cancerllm.cancerllm-notes';
export const SAMPLE = 'breast-pathology.note';
/** The TNM string of the sample and the diagnostic message the server gives it. */
export const SAMPLE_TNM = { text: 'pT2 pN1a cM0', message: 'TNM pT2 N1a M0' };

const WAIT_MS = 20_000;

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration suite needs a workspace folder (runTests launchArgs)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Copies a workspace file to a new name and opens it in an editor. */
export async function openCopy(source: string, name: string): Promise<vscode.TextDocument> {
  const target = workspaceFile(name);
  await vscode.workspace.fs.copy(workspaceFile(source), target, { overwrite: true });
  const document = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(document);
  return document;
}

/** A position inside the first occurrence of `text` in the document. */
export function positionOf(document: vscode.TextDocument, text: string): vscode.Position {
  const offset = document.getText().indexOf(text);
  if (offset < 0) throw new Error(`"${text}" not in ${document.uri.fsPath}`);
  return document.positionAt(offset + 1);
}

/** Resolves with the document's diagnostics once `accept` returns true for them (now or on a later change). */
export async function diagnosticsWhere(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  const current = vscode.languages.getDiagnostics(uri);
  if (accept(current)) return current;
  return new Promise((resolve, reject) => {
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(diagnostics);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      const seen = vscode.languages
        .getDiagnostics(uri)
        .map((d) => `${vscode.DiagnosticSeverity[d.severity]} ${d.message}`);
      reject(
        new Error(
          `timed out after ${WAIT_MS} ms waiting for ${what} in ${uri.fsPath}; diagnostics now: ${JSON.stringify(seen)}`,
        ),
      );
    }, WAIT_MS);
  });
}

export function tnmDiagnostic(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic | undefined {
  return diagnostics.find((d) => d.message === SAMPLE_TNM.message);
}

/** Sets a cancerllm.* workspace setting (written to .vscode/settings.json of the test workspace). */
export async function setWorkspaceSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('cancerllm').update(key, value, vscode.ConfigurationTarget.Workspace);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
