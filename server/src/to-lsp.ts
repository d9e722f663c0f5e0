// Converts engine output (offsets, mentions) into LSP types. The only place that knows both worlds.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { describeMention, TYPE_LABELS } from './mention-words.ts';
import { SIDECAR_SUFFIX, type CurationDecision } from './curation/sidecar.ts';
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

/** A curated annotation whose text is gone: reported at its last place, kept in the sidecar. */
export function orphanDiagnostic(document: TextDocument, orphan: CurationDecision): Diagnostic {
  const type = orphan.mention?.type ?? orphan.foundType;
  const at = Math.min(orphan.anchor.start, document.getText().length);
  const excerpt = orphan.anchor.text.length > 40 ? `${orphan.anchor.text.slice(0, 37)}...` : orphan.anchor.text;
  return {
    range: { start: document.positionAt(at), end: document.positionAt(at) },
    severity: DiagnosticSeverity.Warning,
    source: 'curation',
    code: 'orphaned-annotation',
    message: `Curated ${orphan.action === 'reject' ? 'rejection' : 'annotation'} of “${excerpt}”${type ? ` (${TYPE_LABELS[type]})` : ''} no longer matches the note text; it is kept in the ${SIDECAR_SUFFIX} file.`,
  };
}
