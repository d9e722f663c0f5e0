// Code lenses at the top of a note: its phenotype summary (opens the summary table) and the generation actions.
import type { CodeLens } from 'vscode-languageserver';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { CLIENT_COMMANDS } from '@cancerllm/protocol';
import { summaryLine } from './summary.ts';

export function codeLenses(uri: string, mentions: readonly AnnotatedMention[]): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [
    { range, command: { title: `$(pulse) ${summaryLine(mentions)}`, command: CLIENT_COMMANDS.showSummary, arguments: [uri] } },
    { range, command: { title: 'Generate Diagnosis', command: CLIENT_COMMANDS.generateDiagnosis, arguments: [uri] } },
    { range, command: { title: 'Generate Treatment Plan', command: CLIENT_COMMANDS.generateTreatmentPlan, arguments: [uri] } },
  ];
}
