// Inlay hints: the normalized value after each mention whose value says more than its text ("2.3 x 1.8 cm" → 23 mm).
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { describeValue } from '../mention-words.ts';

export function inlayHints(document: TextDocument, mentions: readonly AnnotatedMention[], from: number, to: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const mention of mentions) {
    if (mention.end < from || mention.start > to) continue;
    const value = describeValue(mention.type, mention.value);
    if (!value || squash(value) === squash(mention.text)) continue;
    hints.push({
      position: document.positionAt(mention.end),
      label: `→ ${value}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
    });
  }
  return hints;
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
