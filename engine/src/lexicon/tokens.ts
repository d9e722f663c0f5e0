// Word tokens of a note with offsets: the unit the phrase matcher and fuzzy matching work on. Hyphens, dashes and
// whitespace separate tokens and are dropped ("base-of-tongue" and "base of tongue" tokenize the same); "/" and "+"
// are kept as tokens because they join regimens ("carboplatin/paclitaxel") and mark results ("ER+").

/** Where a token lies in the text: all the phrase matcher needs once the token has a word id. */
export interface TokenSpan {
  start: number;
  end: number;
}

export interface Token extends TokenSpan {
  /** Lower-cased text of the token. */
  norm: string;
}

export function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) // Latin-1 and Latin Extended letters
  );
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

/** True when only spaces, tabs or line breaks (and hyphens) separate two offsets: the tokens belong to one phrase. */
export function joinedBySpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t' && c !== '-' && c !== '\u2010' && c !== '\u2011')
      return false;
  }
  return true;
}
