// Builds the mentions every concept extractor returns: assertion "present", provenance "rules". The ConText pass
// sets assertions afterwards; a value that is itself about absence ("LVI absent") is carried in the value instead.
import type { AnnotatedMention, MentionValue, PhenotypeType } from '@cancerllm/protocol';
import { correctTokens, tokenize, type Token } from '../lexicon/index.ts';

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
  tokens: readonly Token[];
  /** Per token, the lexicon word a misspelled token stands for (bounded edit distance), else undefined. */
  corrected: ReadonlyArray<string | undefined>;
}

export function noteTokens(text: string): NoteTokens {
  const tokens = tokenize(text);
  return { text, tokens, corrected: correctTokens(tokens) };
}

/** The words (lower case) in text[from, to): for looking a few words before or after a match. */
export function wordsIn(text: string, from: number, to: number): string[] {
  return (
    text
      .slice(Math.max(0, from), Math.min(text.length, to))
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []
  );
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

/**
 * Runs `pattern` (global) only over the lines around hits of a cheap `trigger` (a literal alternation that V8 scans
 * fast), one line of context either side, and yields matches with offsets into the whole text. Concept patterns
 * that open with lookbehinds or optional modifiers are slow to scan over a whole note; the trigger keeps the
 * pipeline fast without changing what the pattern finds, as long as every match contains a trigger hit.
 */
export function* matchNear(
  text: string,
  trigger: RegExp,
  pattern: RegExp,
): Generator<RegExpMatchArray & { index: number }> {
  for (const [from, to] of triggerWindows(text, trigger)) {
    const window = text.slice(from, to);
    for (const m of window.matchAll(pattern)) {
      m.index = (m.index ?? 0) + from;
      yield m as RegExpMatchArray & { index: number };
    }
  }
}

function triggerWindows(text: string, trigger: RegExp): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  trigger.lastIndex = 0;
  for (const hit of text.matchAll(trigger)) {
    const at = hit.index ?? 0;
    const lineStart = text.lastIndexOf('\n', at - 1);
    const from = lineStart <= 0 ? 0 : text.lastIndexOf('\n', lineStart - 1) + 1;
    let to = text.indexOf('\n', at + hit[0].length);
    to = to < 0 ? text.length : text.indexOf('\n', to + 1);
    if (to < 0) to = text.length;
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows;
}
