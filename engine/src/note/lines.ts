// Splits a note into lines and classifies each one (blank, header, field, bullet, text) in one pass over the
// string. Line ends are "\n", "\r\n" or a lone "\r"; offsets exclude them, so CRLF never shifts a position.
import { isDigit, isLowerLetter } from '../text/character-class.ts';

export type LineKind = 'blank' | 'header' | 'field' | 'bullet' | 'text';

export interface Line {
  start: number;
  /** End of the line's content, before its line break. */
  end: number;
  /** First non-blank character (== end for a blank line). */
  contentStart: number;
  kind: LineKind;
  /** For headers and fields: the title's span; for bullets: where the text after the marker starts. */
  titleStart: number;
  titleEnd: number;
  /** For headers and fields: where the text after the colon starts (== end when the title stands alone). */
  bodyStart: number;
  /** For text lines: whether the line carries on the previous line's unfinished clause. */
  continues: boolean;
}

const BULLET = /^(?:[-*•·▪–]|\d{1,2}[.)]|[A-Z][.)])[ \t]+/;
/** The longest title a key may have, and how far into a line a key or a bullet marker may reach. */
const MAX_KEY_TITLE = 60;
const HEAD_LENGTH = 80;
const MAX_KEY_WORDS_MIXED = 5;

export function scanLines(text: string): Line[] {
  const bounds = lineBounds(text);
  const lines: Line[] = [];
  const colons = new ColonFinder(text);
  for (let i = 0; i < bounds.length; i += 2) {
    const nextStart = i + 2 < bounds.length ? bounds[i + 2]! : -1;
    const nextEnd = i + 3 < bounds.length ? bounds[i + 3]! : -1;
    lines.push(classify(text, bounds[i]!, bounds[i + 1]!, lines, nextStart, nextEnd, colons));
  }
  return lines;
}

/**
 * The first ":" at or after an offset. Lines are classified in order, so the answer is kept until a line passes
 * it: the text is searched once, by `indexOf`, and most lines, which hold no colon, cost no scan of their own.
 */
class ColonFinder {
  private next = -1;

  constructor(private readonly text: string) {}

  /** The first colon at or after `offset`, or the text's length. */
  from(offset: number): number {
    if (this.next < offset) {
      const found = this.text.indexOf(':', offset);
      this.next = found < 0 ? this.text.length : found;
    }
    return this.next;
  }
}

/** Start and end (before the break) of every line, flattened: [start0, end0, start1, end1, ...]. */
function lineBounds(text: string): number[] {
  const bounds: number[] = [];
  const n = text.length;
  // Without a "\r" a line ends at the next "\n", which indexOf finds many times faster than a loop over characters.
  const newlinesOnly = text.indexOf('\r') < 0;
  let start = 0;
  for (;;) {
    let end = newlinesOnly ? text.indexOf('\n', start) : start;
    if (end < 0) end = n;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    bounds.push(start, end);
    if (end >= n) return bounds;
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  }
}

function classify(
  text: string,
  start: number,
  end: number,
  previous: readonly Line[],
  nextStart: number,
  nextEnd: number,
  colons: ColonFinder,
): Line {
  let contentStart = start;
  while (contentStart < end && isBlank(text.charCodeAt(contentStart))) contentStart++;
  const line: Line = {
    start,
    end,
    contentStart,
    kind: 'text',
    titleStart: contentStart,
    titleEnd: contentStart,
    bodyStart: contentStart,
    continues: false,
  };
  if (contentStart === end) {
    line.kind = 'blank';
    return line;
  }
  // Only the first 80 characters can hold a marker or a key: a 100,000-character line costs no more than a short one.
  const headEnd = Math.min(end, contentStart + HEAD_LENGTH);
  const before = lastNonBlank(previous);
  const afterBreak = before === undefined || before.kind === 'blank' || before.kind === 'header';
  const bullet = bulletLength(text, contentStart, headEnd);
  if (
    bullet > 0 &&
    !(isLetterMarker(text, contentStart) && !afterBreak && before?.kind !== 'bullet' && !endsClause(text, before))
  ) {
    line.kind = 'bullet';
    line.bodyStart = contentStart + bullet;
    line.titleStart = line.titleEnd = line.bodyStart;
    return line;
  }
  const colon = keyColon(text, contentStart, headEnd, colons.from(contentStart));
  const titleEnd = colon < 0 ? -1 : trimTitleEnd(text, contentStart, colon);
  if (colon >= 0 && balanced(text, contentStart, titleEnd)) {
    let bodyStart = colon + 1;
    while (bodyStart < end && isBlank(text.charCodeAt(bodyStart))) bodyStart++;
    const caps = isCaps(text, contentStart, titleEnd);
    const alone = bodyStart >= end;
    // A caps title alone on its line continues an unfinished line only when that line is in caps too
    // ("...AND BILATERAL\nSALPINGO-OOPHORECTOMY:"); under mixed-case text it is a new header.
    const continuation =
      isContinuation(text, line, before, true) &&
      !(caps && alone && before !== undefined && !isCaps(text, before.contentStart, before.end));
    if (
      !continuation &&
      (caps || (startsUpper(text, contentStart) && wordCount(text, contentStart, titleEnd) <= MAX_KEY_WORDS_MIXED))
    ) {
      line.titleEnd = titleEnd;
      line.bodyStart = bodyStart;
      // A title alone on its line, or a key opening a paragraph, starts a section; a key under other lines is a field.
      line.kind = alone || before === undefined || before.kind === 'blank' ? 'header' : 'field';
      return line;
    }
  }
  // A title without a colon stands after a blank line (or first); under a title it is that title's content.
  const afterBlank = before === undefined || before.kind === 'blank';
  const titlesBlock =
    afterBlank && startsUpper(text, contentStart) && nextStart >= 0 && opensWithKey(text, nextStart, nextEnd);
  if (
    (isCaps(text, contentStart, headEnd) || titlesBlock) &&
    end - contentStart <= 100 &&
    !endsWithStop(text, end) &&
    afterBlank
  ) {
    line.kind = 'header';
    line.titleEnd = trimEnd(text, contentStart, end);
    line.bodyStart = end;
    return line;
  }
  line.continues = isContinuation(text, line, before);
  return line;
}

/**
 * Length of the bullet marker and the blanks after it ("- ", "12. ", "b) " is not one, "B) " is) at `start`, or 0.
 * Most lines open with a letter that no "." or ")" follows, and a character test tells so without the regex.
 */
function bulletLength(text: string, start: number, headEnd: number): number {
  const c = text.charCodeAt(start);
  const upper = c >= 65 && c <= 90;
  if (upper && !isMarkerEnd(text.charCodeAt(start + 1))) return 0;
  if (!upper && !isDigit(c) && !BULLET_SIGNS.includes(text[start]!)) return 0;
  const bullet = BULLET.exec(text.slice(start, headEnd));
  return bullet ? bullet[0].length : 0;
}

/** The signs that open a bullet by themselves, as BULLET lists them. */
const BULLET_SIGNS = '-*•·▪–';

/** A capital letter marker ("A.", "B)"): it opens a list only after a break or under another bullet. */
function isLetterMarker(text: string, start: number): boolean {
  return startsUpper(text, start) && isMarkerEnd(text.charCodeAt(start + 1));
}

function isMarkerEnd(c: number): boolean {
  return c === 46 || c === 41;
}

/**
 * The colon of a key at `start` ("FINAL DIAGNOSIS:", "Margins: negative"), or -1: a title of up to 60 characters
 * without a colon or sentence punctuation, blanks, then ":" and a blank or the end of the head. The title holds no
 * colon, so the key's colon can only be `firstColon`, the first one at or after `start`.
 */
function keyColon(text: string, start: number, headEnd: number, firstColon: number): number {
  const colon = firstColon;
  if (colon < 0 || colon <= start || colon >= headEnd) return -1;
  for (let i = start; i < colon; i++) if (isSentencePunctuation(text.charCodeAt(i))) return -1;
  const after = colon + 1;
  if (after < headEnd && !isBlank(text.charCodeAt(after))) return -1;
  return trimTitleEnd(text, start, colon) - start <= MAX_KEY_TITLE ? colon : -1;
}

/** The sentence punctuation a key's title may not hold (line breaks never occur inside a line). */
function isSentencePunctuation(c: number): boolean {
  return c === 46 || c === 59 || c === 33 || c === 63 || c === 10 || c === 13;
}

/** The end of a key's title: its colon, less the spaces and tabs before it; the title keeps at least one character. */
function trimTitleEnd(text: string, start: number, colon: number): number {
  let end = colon;
  while (end > start + 1 && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Whether the line at [start, end) opens, after its leading white space, with a key. */
function opensWithKey(text: string, start: number, end: number): boolean {
  const head = text.slice(start, Math.min(end, start + HEAD_LENGTH)).trimStart();
  return keyColon(head, 0, head.length, head.indexOf(':')) >= 0;
}

/** An indented line under an unfinished line continues it ("...MITOSES 1),\n      MULTIFOCAL (TWO FOCI: ..."). */
function isContinuation(text: string, line: Line, before: Line | undefined, forKey = false): boolean {
  if (!before || before.kind === 'blank') return false;
  if (before.kind === 'header' && before.bodyStart >= before.end) return false;
  // Under a field, a key line is the next field, but a plain line carries on the field's value.
  if (before.kind === 'field') return !forKey && !endsWithPunctuation(text, before);
  return !endsClause(text, before, line);
}

function endsWithPunctuation(text: string, line: Line): boolean {
  let i = line.end - 1;
  while (i >= line.contentStart && isBlank(text.charCodeAt(i))) i--;
  const c = text.charCodeAt(i);
  return c === 46 || c === 58 || c === 59 || c === 33 || c === 63;
}

/** Whether a line ends where a new line may start something new: closing punctuation or a title's colon. */
function endsClause(text: string, line: Line | undefined, next?: Line): boolean {
  if (!line) return true;
  let i = line.end - 1;
  while (i >= line.contentStart && isBlank(text.charCodeAt(i))) i--;
  if (i < line.contentStart) return true;
  const c = text.charCodeAt(i);
  // . : ; ) ] ! ? % and digits close a clause; so does any line that is itself a field or a bullet ending cleanly.
  if (c === 46 || c === 58 || c === 59 || c === 33 || c === 63) return true;
  return (line.kind === 'header' && line.bodyStart >= line.end) || isShortUnpunctuated(text, line, next);
}

/**
 * A short line without closing punctuation ends a clause ("Right breast", a list's item without a marker), unless
 * it ends with a comma or a word that a clause cannot end with ("...; grandfather with\nprostate cancer."), or the
 * next line opens in lower case, carrying the sentence on ("APL\nexcluded").
 */
function isShortUnpunctuated(text: string, line: Line, next: Line | undefined): boolean {
  if (line.kind !== 'text' || line.end - line.contentStart >= 50) return false;
  return !(next !== undefined && startsLower(text, next.contentStart)) && !endsWithJoiner(text, line);
}

/**
 * Words that join what follows to what comes before, and the slash abbreviations that open a clause ("s/p" status
 * post, "c/w" consistent with): a line that ends with one is carried on by the next.
 */
const JOINING_WORDS = new Set(
  (
    'a an and as at by for from in into of on or than the to with without including involving showing is are was ' +
    'were but nor versus vs and/or s/p c/w h/o r/o w/'
  ).split(' '),
);
const LONGEST_JOINING_WORD = Math.max(...[...JOINING_WORDS].map((word) => word.length));

/** Whether the line's last non-blank character is a comma or its last word is one of JOINING_WORDS (any case). */
function endsWithJoiner(text: string, line: Line): boolean {
  let end = line.end;
  while (end > line.contentStart && isBlank(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(end - 1) === 44) return true;
  let start = end;
  while (start > line.contentStart && end - start <= LONGEST_JOINING_WORD && !isBlank(text.charCodeAt(start - 1)))
    start--;
  if (end - start > LONGEST_JOINING_WORD) return false;
  return JOINING_WORDS.has(text.slice(start, end).toLowerCase());
}

function startsLower(text: string, start: number): boolean {
  return isLowerLetter(text.charCodeAt(start));
}

function lastNonBlank(lines: readonly Line[]): Line | undefined {
  return lines.length > 0 ? lines[lines.length - 1] : undefined;
}

function endsWithStop(text: string, end: number): boolean {
  let i = end - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  const c = text.charCodeAt(i);
  return c === 46 || c === 44 || c === 59;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && (isBlank(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 58)) i--;
  return i;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}

/** At least two letters in text[start, end), and no lower-case letter. */
function isCaps(text: string, start: number, end: number): boolean {
  let letters = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) letters++;
  }
  return letters >= 2;
}

function startsUpper(text: string, start: number): boolean {
  const c = text.charCodeAt(start);
  return c >= 65 && c <= 90;
}

function wordCount(text: string, start: number, end: number): number {
  let words = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const blank = isBlank(text.charCodeAt(i));
    if (!blank && !inWord) words++;
    inWord = !blank;
  }
  return words;
}

/** Whether the parentheses of text[start, end) close in order. */
function balanced(text: string, start: number, end: number): boolean {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
