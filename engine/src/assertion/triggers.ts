// Finds ConText triggers in one sentence: a single scan over its tokens, each looked up in the rule data's token
// trie (leftmost-longest, so a pseudo-trigger such as "no change" hides the "no" inside it). The per-character
// helpers live here, beside the loops that call them: a call into another module goes through an export getter
// when the engine runs unbundled (tsx, tests).
import type { ContextRule, ContextRules, PhraseNode } from './rules.ts';

export interface TriggerMatch {
  start: number;
  end: number;
  rules: readonly ContextRule[];
}

/**
 * Triggers of text[start, end) in order, without overlaps; the offsets where its words start go to `wordStarts`.
 * `lower` is the whole text lower-cased with the same offsets (the caller lower-cases a note once, not per
 * sentence); without it the sentence is lower-cased here.
 */
export function findTriggers(
  rules: ContextRules,
  text: string,
  start: number,
  end: number,
  wordStarts: number[],
  lower?: string,
): TriggerMatch[] {
  const found: TriggerMatch[] = [];
  const cursor: Cursor = {
    text,
    lower: lower ?? text.slice(start, end).toLowerCase(),
    base: lower === undefined ? start : 0,
    end,
    tokenStart: 0,
    tokenEnd: 0,
    number: false,
    matchedLength: 0,
    matchedEnd: 0,
  };
  const shapes = rules.firstTokenShapes;
  // The token scan is inline (it runs over every character of every sentence with a mention); the cursor and the
  // trie walk are only used for the few tokens whose shape begins some trigger.
  let i = start;
  while (i < end) {
    let code = text.charCodeAt(i);
    if (isBlankCode(code)) {
      i++;
      continue;
    }
    const tokenStart = i;
    let number = false;
    if (isWordChar(code)) {
      number = true;
      do {
        if (code < 48 || code > 57) number = false;
        code = text.charCodeAt(++i);
      } while (i < end && isWordChar(code));
    } else {
      const pair = (code & 0xfc00) === 0xd800 && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      i += pair ? 2 : 1;
    }
    const tokenEnd = i;
    let head = text.charCodeAt(tokenStart);
    if (head >= 65 && head <= 90) head += 32;
    // Same packing as rules.ts's firstTokenShape: a number may follow a "<number>" or "<year>" edge instead.
    const candidate = number || shapes[((head & 0xff) << 8) | Math.min(tokenEnd - tokenStart, 255)] === 1;
    const matchEnd = candidate ? longestPhraseAt(rules, cursor, tokenStart, tokenEnd, number) : 0;
    if (matchEnd > 0) {
      found.push({ start: tokenStart, end: matchEnd, rules: cursor.matched! });
      // The words inside the phrase were read by the trie walk; record where each starts.
      let inWord = false;
      for (let k = tokenStart; k < matchEnd; k++) {
        const w = isWordChar(text.charCodeAt(k));
        if (w && !inWord) wordStarts.push(k);
        inWord = w;
      }
      i = matchEnd;
    } else if (isWordChar(text.charCodeAt(tokenStart))) {
      wordStarts.push(tokenStart);
    }
  }
  return found;
}

interface Cursor {
  text: string;
  /** The sentence (or the whole text) in lower case; index i holds text[base + i]. */
  lower: string;
  base: number;
  end: number;
  tokenStart: number;
  tokenEnd: number;
  number: boolean;
  matched?: readonly ContextRule[];
  /** Tokens and end of the longest phrase found so far at the current position. */
  matchedLength: number;
  matchedEnd: number;
}

/** Moves the cursor to the first token at or after `pos`; false at the sentence end. */
function nextToken(c: Cursor, pos: number): boolean {
  const text = c.text;
  let i = pos;
  while (i < c.end && isBlankCode(text.charCodeAt(i))) i++;
  if (i >= c.end) return false;
  c.tokenStart = i;
  if (isWordChar(text.charCodeAt(i))) {
    let digits = true;
    while (i < c.end && isWordChar(text.charCodeAt(i))) {
      const code = text.charCodeAt(i);
      if (code < 48 || code > 57) digits = false;
      i++;
    }
    c.number = digits;
  } else {
    const pair =
      (text.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < c.end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
    c.number = false;
  }
  c.tokenEnd = i;
  return true;
}

function tokenText(c: Cursor, start: number, end: number): string {
  return c.lower.slice(start - c.base, end - c.base);
}

/** End of the longest phrase starting at the token [start, end) (its rules left in `cursor.matched`), or 0. */
function longestPhraseAt(rules: ContextRules, c: Cursor, start: number, end: number, number: boolean): number {
  c.matchedLength = 0;
  walk(rules.phrases, c, start, end, number, 1);
  return c.matchedLength > 0 ? c.matchedEnd : 0;
}

/**
 * Follows the trie from `node` through the token at [start, end) and the tokens after it, keeping the longest
 * phrase (in tokens) that ends on the way; a number token may also follow a "<number>" or "<year>" edge.
 */
function walk(node: PhraseNode, c: Cursor, start: number, end: number, number: boolean, depth: number): void {
  follow(node.next.get(tokenText(c, start, end)), c, end, depth);
  if (!number) return;
  follow(node.next.get('<number>'), c, end, depth);
  if (isYear(c.text, start, end)) follow(node.next.get('<year>'), c, end, depth);
}

function follow(child: PhraseNode | undefined, c: Cursor, end: number, depth: number): void {
  if (!child) return;
  if (child.rules && depth > c.matchedLength) {
    c.matchedLength = depth;
    c.matchedEnd = end;
    c.matched = child.rules;
  }
  if (child.next.size === 0 || !nextToken(c, end)) return;
  walk(child, c, c.tokenStart, c.tokenEnd, c.number, depth + 1);
}

function isBlankCode(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11 || code === 0xa0;
}

/** A year 1950-2049 standing alone: not part of a date ("03/2021", "2021-05") or a decimal. */
function isYear(text: string, start: number, end: number): boolean {
  if (end - start !== 4) return false;
  const year = Number(text.slice(start, end));
  if (!(year >= 1950 && year <= 2049)) return false;
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  return before !== 47 && before !== 45 && before !== 46 && after !== 47 && after !== 45;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}
