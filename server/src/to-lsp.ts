// Converts engine output (offsets, mentions) into LSP types. The only place that knows both worlds.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { describeMention } from './mention-words.ts';
import type { NoteSettings, SeverityName } from './settings.ts';

const SEVERITIES: Record<Exclude<SeverityName, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function mentionsToDiagnostics(
  document: TextDocument,
  mentions: readonly AnnotatedMention[],
  settings: NoteSettings,
  defaultSource: string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const mention of mentions) {
    const severity = settings.diagnostics.severity[mention.assertion];
    if (severity === 'off') continue;
    diagnostics.push({
      range: { start: document.positionAt(mention.start), end: document.positionAt(mention.end) },
      severity: SEVERITIES[severity],
      code: mention.type,
      source: mention.provenance?.source ?? defaultSource,
      message: mention.provenance?.curated ? `${describeMention(mention)} (${mention.provenance.curated})` : describeMention(mention),
    });
  }
  return diagnostics;
}
