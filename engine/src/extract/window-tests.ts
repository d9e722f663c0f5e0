// Tests on the characters around an offset, as the extractors ask them before and after a candidate: which word
// ends here, where a run of whitespace starts, whether a "$"-anchored pattern matches the words before a mention.
import { isDigit, isLowerLetter, isWhitespace } from '../text/character-class.ts';

/**
 * Whether lower[from, at) ends with one of `words` and then a run of `gap` characters: where a lead made of such
 * words, each followed by a gap, can end.
 */
export function endsWithWordThenGap(
  lower: string,
  from: number,
  at: number,
  words: readonly string[],
  gap: RegExp,
): boolean {
  let end = at;
  while (end > from && gap.test(lower[end - 1]!)) end--;
  return end < at && wordEndingAt(lower, end, words, from) !== undefined;
}

/** The first of `words` that lower[from, end) ends with, if any. */
export function wordEndingAt(lower: string, end: number, words: readonly string[], from = 0): string | undefined {
  return words.find((w) => end - w.length >= from && lower.startsWith(w, end - w.length));
}

/**
 * The letters a regex source ends with, lower-cased: the end of every match of a term written as a source
 * ("aortic" of para-?aortic, "neck" of bladder\s+neck; a term holds no top-level "|"). Empty when the source ends
 * otherwise or in an escape (\d).
 */
export function lastLettersOf(source: string): string {
  return /(?<![\\A-Za-z])[A-Za-z]+$/.exec(source)?.[0].toLowerCase() ?? '';
}

/** Where the run of whitespace (as a regex's \s) that ends at `end` begins, looking no further back than `from`. */
export function spaceRunStart(text: string, end: number, from = 0): number {
  let at = end;
  while (at > from && isWhitespace(text.charCodeAt(at - 1))) at--;
  return at;
}

/**
 * pattern.test for a pattern each of whose alternatives ends in "$" (so every match ends where the text does):
 * the pattern run once, as a lookbehind at the end of the text. V8 tries an unanchored pattern at every offset of
 * the text ("…(?:margin|depth|…)\s*$" over the 25 characters before a size); the lookbehind reads back from the
 * end once.
 */
export function endTest(pattern: RegExp): (text: string) => boolean {
  if (pattern.global || pattern.sticky) throw new Error(`endTest takes a pattern that is neither global nor sticky.`);
  const atEnd = new RegExp(`(?<=${pattern.source})`, `${pattern.flags}y`);
  return (text) => {
    atEnd.lastIndex = text.length;
    return atEnd.test(text);
  };
}

/**
 * Whether the line that starts at `lineStart` carries on the clause of the line before it, as clinical text wraps
 * lines mid-sentence: it opens (after blanks) in lower case, with a number or with "(" ("closest margin\n3 mm",
 * "negative\n(radial margin 4 mm)"). A line that opens in capitals may start a new statement or field.
 */
export function carriesOn(text: string, lineStart: number): boolean {
  let at = lineStart;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
  const c = text.charCodeAt(at);
  return isLowerLetter(c) || isDigit(c) || c === 40;
}

/** The end of the line holding `from` and of the wrapped lines that carry it on (see carriesOn), at most `to`. */
export function wrappedLineEnd(text: string, from: number, to: number): number {
  for (let lineBreak = text.indexOf('\n', from); lineBreak >= 0 && lineBreak < to; ) {
    if (!carriesOn(text, lineBreak + 1)) return lineBreak;
    lineBreak = text.indexOf('\n', lineBreak + 1);
  }
  return Math.min(to, text.length);
}

/**
 * Whether the line that starts at `lineStart` is the wrapped rest of the line before it: that line holds text and
 * ends without closing punctuation, and this one carries it on ("...sinus fat. Right\nkidney: 1.1 cm cyst").
 */
export function isWrappedLine(text: string, lineStart: number): boolean {
  if (lineStart === 0 || !carriesOn(text, lineStart)) return false;
  let end = lineStart - 1;
  if (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  const last = text.charCodeAt(end - 1);
  return end > 0 && last !== 10 && last !== 46 && last !== 58 && last !== 59 && last !== 33 && last !== 63;
}

/**
 * The clause holding text[start, end): from after the last "." or ";" before it to the next one, where a line
 * break also ends it unless the next line carries the clause on (see carriesOn); at most `reach` characters each
 * side.
 */
export function clauseAround(text: string, start: number, end: number, reach: number): string {
  let from = start;
  const earliest = Math.max(0, start - reach);
  while (from > earliest) {
    const c = text.charCodeAt(from - 1);
    if (c === 46 || c === 59) break;
    if (c === 10 && !carriesOn(text, from)) break;
    from--;
  }
  let to = end;
  const latest = Math.min(text.length, end + reach);
  while (to < latest) {
    const c = text.charCodeAt(to);
    if (c === 46 || c === 59) break;
    if (c === 10 && !carriesOn(text, to + 1)) break;
    to++;
  }
  return text.slice(from, to);
}

/**
 * A regex source whose phrases' spaces match any run of whitespace: clinical text wraps lines mid-phrase ("up\nto",
 * "external\niliac"). For sources whose spaces all stand between words (none in a character class).
 */
export function acrossLineBreaks(source: string): string {
  return source.replace(/ /g, String.raw`\s+`);
}
