// Hover on a mention: type, normalized value, assertion with its trigger, ICD-O-3 code, and who found it.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { describeValue, TYPE_LABELS } from '../mention-words.ts';
import { mentionsAt } from './mention-lookup.ts';

const ASSERTION_PHRASES: Record<AnnotatedMention['assertion'], string> = {
  present: 'present',
  negated: 'negated',
  possible: 'possible (uncertain)',
  historical: 'historical (not current)',
  family: 'about a family member',
  hypothetical: 'hypothetical (planned or conditional)',
};

export function hoverAt(document: TextDocument, mentions: readonly AnnotatedMention[], offset: number): Hover | null {
  const found = mentionsAt(mentions, offset);
  const first = found[0];
  if (!first) return null;
  // Every mention on exactly the same span is shown ("LLL" is a site and a laterality).
  const sameSpan = found.filter((m) => m.start === first.start && m.end === first.end);
  return {
    contents: { kind: MarkupKind.Markdown, value: sameSpan.map(hoverMarkdown).join('\n\n---\n\n') },
    range: { start: document.positionAt(first.start), end: document.positionAt(first.end) },
  };
}

export function hoverMarkdown(mention: AnnotatedMention): string {
  const value = describeValue(mention.type, mention.value);
  const lines = [`**${capitalize(TYPE_LABELS[mention.type])}**${value ? `: ${escapeMarkdown(value)}` : ''}`, ''];
  const trigger = mention.provenance?.trigger;
  const assertion = ASSERTION_PHRASES[mention.assertion];
  lines.push(`- Assertion: ${assertion}${trigger ? ` — by “${escapeMarkdown(trigger)}”` : ''}`);
  const code = mention.value.icdo3;
  if (code !== undefined) lines.push(`- ICD-O-3: \`${String(code)}\``);
  if (mention.provenance?.curated) lines.push(`- Curated: ${mention.provenance.curated}`);
  lines.push(`- Source: ${escapeMarkdown(mention.provenance?.source ?? 'rules')}`);
  return lines.join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
