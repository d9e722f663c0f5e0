// Builds the mentions every concept extractor returns: assertion "present", provenance "rules". The ConText pass
// sets assertions afterwards; a value that is itself about absence ("LVI absent") is carried in the value instead.
import type { AnnotatedMention, MentionValue, PhenotypeType } from '@cancerllm/protocol';
import { noteWords, type LexiconWords } from '../lexicon/index.ts';

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

/** A note's text with its lexicon words, found once and shared by the extractors that match lexicons. */
export interface NoteTokens {
  text: string;
  /** The note's tokens that are lexicon words, with their word ids, misspellings corrected (bounded edit distance). */
  words: LexiconWords;
}

export function noteTokens(text: string): NoteTokens {
  return { text, words: noteWords(text) };
}
