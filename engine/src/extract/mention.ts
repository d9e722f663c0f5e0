// Builds the mentions every concept extractor returns: assertion "present", provenance "rules". The ConText pass
// sets assertions afterwards; a value that is itself about absence ("LVI absent") is carried in the value instead.
import type { AnnotatedMention, MentionValue, PhenotypeType } from '@cancerllm/protocol';
import { tokenize, type Token } from '../lexicon/index.ts';

export function mention(text: string, start: number, end: number, type: PhenotypeType, value: MentionValue): AnnotatedMention {
  return { start, end, text: text.slice(start, end), type, value, assertion: 'present', provenance: { source: 'rules' } };
}

/** A note's text with its word tokens, computed once and shared by the extractors that match lexicons. */
export interface NoteTokens {
  text: string;
  tokens: readonly Token[];
}

export function noteTokens(text: string): NoteTokens {
  return { text, tokens: tokenize(text) };
}

/** The words (lower case) in text[from, to): for looking a few words before or after a match. */
export function wordsIn(text: string, from: number, to: number): string[] {
  return text.slice(Math.max(0, from), Math.min(text.length, to)).toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** Offset of the end of the clause containing `at`: the next ".", ";", line break pair or end of text. */
export function clauseEnd(text: string, at: number, limit = 200): number {
  const stop = Math.min(text.length, at + limit);
  for (let i = at; i < stop; i++) {
    const c = text[i];
    if (c === ';' || (c === '.' && !/\d/.test(text[i + 1] ?? '')) || (c === '\n' && text[i + 1] === '\n')) return i;
  }
  return stop;
}

/** Offset of the start of the clause containing `at`. */
export function clauseStart(text: string, at: number, limit = 200): number {
  const stop = Math.max(0, at - limit);
  for (let i = at - 1; i >= stop; i--) {
    const c = text[i];
    if (c === ';' || (c === '.' && !/\d/.test(text[i + 1] ?? '')) || (c === '\n' && text[i - 1] === '\n')) return i + 1;
  }
  return stop;
}
