// Builds the mentions every concept extractor returns: assertion "present", provenance "rules". The ConText pass
// sets assertions afterwards; a value that is itself about absence ("LVI absent") is carried in the value instead.
import type { AnnotatedMention, MentionValue, PhenotypeType } from '@cancerllm/protocol';
import { noteWords, type TokenIds, type TokenSpan } from '../lexicon/index.ts';
import { foldedExec, foldedHits, foldedSuffixLength } from './folded-match.ts';
import { literalHits } from './literal-heads.ts';

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

/**
 * Matches of `pattern` (sticky, "y") found from a literal `head` (global; with the "i" flag it is searched through
 * foldedHits) instead of by scanning every offset: for
 * each head hit, `lead` (anchored at "$") steps back over the words a match may start with ("deep", "all"), and the
 * pattern is tried once there. A head given as lower-case words stands for their case-insensitive alternation,
 * found by string search (literalHits). Equivalent to a global scan when every match contains a head hit and its
 * leading words are exactly what `lead` accepts, and much faster: V8 finds literal heads with a fast string search.
 */
export function* matchFromHeads(
  text: string,
  head: RegExp | readonly string[],
  lead: RegExp,
  pattern: RegExp,
  lookBack = 80,
): Generator<RegExpExecArray & { index: number }> {
  let lastEnd = -1;
  for (const at of headOffsets(text, head)) {
    if (at < lastEnd) continue;
    const start = at - foldedSuffixLength(text, lead, Math.max(0, at - lookBack), at);
    const m = foldedExec(text, pattern, Math.max(start, lastEnd));
    if (!m || m.index > at) continue;
    lastEnd = m.index + m[0].length;
    yield m as RegExpExecArray & { index: number };
  }
}

function* headOffsets(text: string, head: RegExp | readonly string[]): Generator<number> {
  if (head instanceof RegExp) {
    for (const hit of foldedHits(text, head)) yield hit.index ?? 0;
    return;
  }
  yield* literalHits(text, head);
}
