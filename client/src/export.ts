// "CancerLLM: Export Annotations…": asks for the scope, the format and a folder, then lets the server write.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPORT_REQUEST, type ExportParams, type ExportResultMessage } from '@cancerllm/protocol';

const FORMATS: Array<{ label: string; format: ExportParams['format']; detail: string }> = [
  { label: 'JSONL', format: 'jsonl', detail: 'One line per note with its mentions (the phenotype schema)' },
  { label: 'BRAT standoff', format: 'brat', detail: '.txt and .ann per note, for brat and other annotation tools' },
  { label: 'FHIR R4 (mCODE)', format: 'fhir', detail: 'A Bundle per note: primary cancer condition, TNM stage group, tumour markers' },
];

export async function exportAnnotations(client: LanguageClient): Promise<void> {
  const active = vscode.window.activeTextEditor?.document;
  const scopes = [
    ...(active && active.uri.scheme === 'file' ? [{ label: 'This note', uris: [active.uri.toString()] }] : []),
    { label: 'All notes in the workspace (*.note)', uris: undefined },
  ];
  const scope = scopes.length === 1 ? scopes[0] : await vscode.window.showQuickPick(scopes, { title: 'Export curated annotations of' });
  if (!scope) return;
  const choice = await vscode.window.showQuickPick(FORMATS, { title: 'Export format' });
  if (!choice) return;
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here' });
  const outDir = folder?.[0]?.fsPath;
  if (!outDir) return;
  const params: ExportParams = { format: choice.format, outDir, ...(scope.uris ? { uris: scope.uris } : {}) };
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'CancerLLM: exporting annotations…' },
    () => client.sendRequest<ExportResultMessage>(EXPORT_REQUEST, params),
  );
  if (result.failures.length === 0) {
    void vscode.window.showInformationMessage(`CancerLLM: wrote ${result.written} file(s) to ${outDir}.`);
    return;
  }
  const details = result.failures.map((f) => `${f.file}: ${f.reason}`).join('\n');
  void vscode.window.showWarningMessage(`CancerLLM: wrote ${result.written} file(s); ${result.failures.length} problem(s).`, { modal: true, detail: details });
}
