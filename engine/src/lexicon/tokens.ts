// Word tokens of a note with offsets: the unit the phrase matcher and fuzzy matching work on. Hyphens, dashes and
// whitespace separate tokens and are dropped ("base-of-tongue" and "base of tongue" tokenize the same); "/" and "+"
// are kept as tokens because they join regimens ("carboplatin/paclitaxel") and mark results ("ER+").

import { isDigit } from '../text/character-class.ts';

/** Where a token lies in the text: all the phrase matcher needs once the token has a word id. */
export interface TokenSpan {
  start: number;
  end: number;
}

export interface Token extends TokenSpan {
  /** Lower-cased text of the token. */
  norm: string;
}

/**
 * 1 for each UTF-16 code unit that is part of a word: a-z, A-Z, 0-9 and the Latin-1 and Latin Extended letters.
 * Every tokenizer loop asks this of every character of a note, so it is one array read rather than four range
 * tests. Immutable; a code unit past the end of a string (NaN) reads as undefined, not a word character.
 */
const WORD_CHARS = wordCharTable();

function wordCharTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const ranges: Array<[number, number]> = [
    [0x61, 0x7a], // a-z
    [0x41, 0x5a], // A-Z
    [0x30, 0x39], // 0-9
    [0xc0, 0x24f], // Latin-1 and Latin Extended letters, less the two signs below
  ];
  for (const [from, to] of ranges) table.fill(1, from, to + 1);
  table[0xd7] = 0; // ×
  table[0xf7] = 0; // ÷
  return table;
}

export function isWordChar(code: number): boolean {
  return WORD_CHARS[code] === 1;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  // Lower-case once; a few characters change length when lower-cased ("İ"), and then each token is lowered alone.
  // Scanning the lowered copy also keeps the loop on a flat string when text is a concatenation (a rope).
  text.slice(0, n); // flattens a concatenated (rope) string once, so every later read of it is fast
  const lower = text.toLowerCase();
  const sameLength = lower.length === n;
  const scan = sameLength ? lower : text;
  let i = 0;
  while (i < n) {
    const code = scan.charCodeAt(i);
    if (isWordChar(code)) {
      const start = i;
      while (i < n && isWordChar(scan.charCodeAt(i))) i++;
      tokens.push({ start, end: i, norm: sameLength ? lower.slice(start, i) : text.slice(start, i).toLowerCase() });
      continue;
    }
    if (code === 47 || code === 43) tokens.push({ start: i, end: i + 1, norm: code === 47 ? '/' : '+' });
    i++;
  }
  return tokens;
}

/**
 * True when only spaces (no-break ones too), tabs or line breaks (and hyphens, a fusion's "::" and a decimal point
 * between digits) separate two offsets: one phrase.
 */
export function joinedBySpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i];
    // "::" joins the genes of a fusion in HGVS notation ("PML::RARA", "BCR::ABL1").
    if (c === ':' && text[i + 1] === ':') {
      i++;
      continue;
    }
    // A decimal point joins the two numbers of one name ("Claudin 18.2", "NKX3.1").
    if (c === '.' && to - from === 1 && isDigit(text.charCodeAt(from - 1)) && isDigit(text.charCodeAt(to))) continue;
    if (
      c !== ' ' &&
      c !== '\n' &&
      c !== '\r' &&
      c !== '\t' &&
      c !== '-' &&
      c !== '\u2010' &&
      c !== '\u2011' &&
      // No-break spaces, as text copied from a web page or a word processor holds them.
      c !== '\u00a0' &&
      c !== '\u202f'
    )
      return false;
  }
  return true;
}
