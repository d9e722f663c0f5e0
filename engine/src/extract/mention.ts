// Builds the mentions every concept extractor returns: assertion "present", provenance "rules". The ConText pass
// sets assertions afterwards; a value that is itself about absence ("LVI absent") is carried in the value instead.
import type { AnnotatedMention, MentionValue, PhenotypeType } from '@cancerllm/protocol';
import { noteWords, type TokenIds, type TokenSpan } from '../lexicon/index.ts';

export function mention(
  text: string,
  start: number,
  end: number,
  type: PhenotypeType,
  value: MentionValue,
): AnnotatedMention {
  return {
    start,
    end,
    text: text.slice(start, end),
    type,
    value,
    assertion: 'present',
    provenance: { source: 'rules' },
  };
}

/** A note's text with its word tokens, computed once and shared by the extractors that match lexicons. */
export interface NoteTokens {
  text: string;
  tokens: readonly TokenSpan[];
  /** Per token, its lexicon word id, misspellings corrected (bounded edit distance). */
  ids: TokenIds;
}

export function noteTokens(text: string): NoteTokens {
  const { tokens, ids } = noteWords(text);
  return { text, tokens, ids };
}
