// Curation quick fixes on the mentions under the cursor or selection, and "Add Phenotype…" on a selection. They run
// the client command that prompts for what is needed and then sends cancerllm/curate.
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CLIENT_COMMANDS, type AnnotatedMention, type CurateMentionArguments, type CurationIntent } from '@cancerllm/protocol';
import { describeMention } from '../mention-words.ts';

const INTENT_TITLES: Array<[CurationIntent, string]> = [
  ['accept', 'Accept'],
  ['reject', 'Reject'],
  ['changeType', 'Change Type…'],
  ['editValue', 'Edit Value…'],
  ['setAssertion', 'Set Assertion…'],
];

export function curationActions(document: TextDocument, mentions: readonly AnnotatedMention[], from: number, to: number): CodeAction[] {
  const actions: CodeAction[] = [];
  const touched = mentions.filter((m) => m.start <= to && from <= m.end);
  for (const mention of touched) {
    const words = describeMention(mention);
    for (const [intent, title] of INTENT_TITLES) {
      if (intent === 'accept' && mention.provenance?.curated) continue;
      actions.push(command(`CancerLLM: ${title} “${words}”`, { uri: document.uri, version: document.version, intent, start: mention.start, end: mention.end, mention: { type: mention.type, value: mention.value, assertion: mention.assertion } }));
    }
  }
  if (to > from) {
    actions.push(command('CancerLLM: Add Phenotype…', { uri: document.uri, version: document.version, intent: 'add', start: from, end: to }));
  }
  return actions;
}

function command(title: string, args: CurateMentionArguments): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, command: { title, command: CLIENT_COMMANDS.curateMention, arguments: [args] } };
}
