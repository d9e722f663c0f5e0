// Finds sentence ends inside one block of running text (a paragraph, a bullet, a field): clinical text wraps lines
// mid-sentence, so only closing punctuation ends a sentence here; abbreviations, initials and decimals do not.
import { isLetter } from '../text/character-class.ts';

/** Words that end with a period without ending the sentence (lower case, without the period). */
const ABBREVIATIONS = new Set([
  'dr',
  'drs',
  'mr',
  'mrs',
  'ms',
  'pt',
  'pts',
  'vs',
  'approx',
  'e.g',
  'i.e',
  'eg',
  'ie',
  'cf',
  'fig',
  'figs',
  'st',
  'jr',
  'sr',
  'prof',
  'y.o',
  'resp',
  'incl',
  'ref',
  'ed',
  'al',
  'dept',
  'univ',
  'b.i.d',
  'q.d',
  't.i.d',
  'p.o',
  'u.s',
  'apprx',
  'ext',
]);

/**
 * Calls `emit(start, end)` for each sentence in text[start, end), trimmed of blanks. Linear in the block length.
 * The blocks of one text share one `stops` when split in order (see StopFinder).
 */
export function splitSentences(
  text: string,
  start: number,
  end: number,
  emit: (s: number, e: number) => void,
  stops: StopFinder = new StopFinder(text),
): void {
  let sentenceStart = skipBlanks(text, start, end);
  for (let i = stops.from(sentenceStart); i < end; i = stops.from(i + 1)) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    while (j < end && isCloser(text.charCodeAt(j))) j++;
    if (j < end && !isSpace(text.charCodeAt(j))) continue; // "2.5", "e.g.,", "C/A/P."
    const next = skipBlanks(text, j, end);
    if (next < end && !opensSentence(text, next)) continue; // "approx. 3", "pt. states" in lower case
    if (c === 46 && isAbbreviationBefore(text, sentenceStart, i)) continue;
    emitTrimmed(text, sentenceStart, j, emit);
    sentenceStart = next;
    i = next - 1;
  }
  if (sentenceStart < end) emitTrimmed(text, sentenceStart, end, emit);
}

/**
 * Finds the ".", "!" and "?" of one text, searched in order. Each next one is kept until a search passes it, so a
 * long stretch without one of them is scanned once, not once per block; and `indexOf` per character scans much
 * faster than a character-class regex.
 */
export class StopFinder {
  private nextPeriod = -1;
  private nextBang = -1;
  private nextQuestion = -1;
  /** Where the kept answers were searched from: a search from before it starts over. */
  private searchedFrom = 0;

  constructor(private readonly text: string) {}

  /** Offset of the first ".", "!" or "?" at or after `from` (the text's length when none). */
  from(from: number): number {
    if (from < this.searchedFrom) this.nextPeriod = this.nextBang = this.nextQuestion = -1;
    this.searchedFrom = from;
    if (this.nextPeriod < from) this.nextPeriod = this.indexOrEnd('.', from);
    if (this.nextBang < from) this.nextBang = this.indexOrEnd('!', from);
    if (this.nextQuestion < from) this.nextQuestion = this.indexOrEnd('?', from);
    return Math.min(this.nextPeriod, this.nextBang, this.nextQuestion);
  }

  private indexOrEnd(char: string, from: number): number {
    const at = this.text.indexOf(char, from);
    return at < 0 ? this.text.length : at;
  }
}

function emitTrimmed(text: string, start: number, end: number, emit: (s: number, e: number) => void): void {
  let e = end;
  while (e > start && isSpace(text.charCodeAt(e - 1))) e--;
  if (e > start) emit(start, e);
}

/** The word before a period: an abbreviation, a single letter ("A. Okonkwo", "R.E.N.A.L.") or a dotted form. */
function isAbbreviationBefore(text: string, floor: number, period: number): boolean {
  let k = period;
  while (k > floor && !isSpace(text.charCodeAt(k - 1)) && text.charCodeAt(k - 1) !== 40) k--;
  // Nearly every sentence ends here, so most words are answered from their characters, without a lower-cased copy.
  const shape = asciiWordShape(text, k, period);
  if (shape === 'other') return false;
  if (shape === 'non-ascii') return isAbbreviationWord(text.slice(k, period).toLowerCase());
  const length = period - k;
  if (length === 0) return false;
  if (length === 1) return isLetter(text.charCodeAt(k)); // an initial, not a second period
  if (length <= LONGEST_ABBREVIATION && ABBREVIATION_CODES.has(wordCode(text, k, period))) return true;
  return isDottedLetters(text, k, period);
}

/**
 * A word of ASCII letters and periods as one number (base 28: a-z are 1 to 26 in either case, "." is 27), so that
 * looking it up needs no lower-cased copy of the word. No digit is 0, so two words never share a code; up to ten
 * characters the code is exact, and up to six it is a small integer, the cheapest key a Set has.
 */
function wordCode(text: string, start: number, end: number): number {
  let code = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    code = code * 28 + (c === 46 ? 27 : (c | 32) - 96);
  }
  return code;
}

const LONGEST_ABBREVIATION = Math.max(...[...ABBREVIATIONS].map((word) => word.length));
const ABBREVIATION_CODES = new Set([...ABBREVIATIONS].map((word) => wordCode(word, 0, word.length)));

/**
 * `letters`: only ASCII letters and periods, the only characters an abbreviation or a dotted form holds;
 * `other`: some other ASCII character (a digit, a hyphen), never an abbreviation;
 * `non-ascii`: a character whose lower case may be ASCII (the Kelvin sign) or longer, so it is judged on the copy.
 */
type WordShape = 'letters' | 'other' | 'non-ascii';

function asciiWordShape(text: string, start: number, end: number): WordShape {
  let shape: WordShape = 'letters';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return 'non-ascii';
    if (c !== 46 && !isLetter(c)) shape = 'other';
  }
  return shape;
}

/** The same judgement on a lower-cased word, for words with characters beyond ASCII. */
function isAbbreviationWord(word: string): boolean {
  if (word.length === 0) return false;
  if (word.length === 1) return isLetter(word.charCodeAt(0));
  if (ABBREVIATIONS.has(word)) return true;
  // A dotted abbreviation such as "e.g" or "r.e.n.a.l": single letters between periods.
  return /^(?:[a-z]\.)+[a-z]$/.test(word);
}

/** Single letters between periods ("e.g", "R.E.N.A.L"), for a span of ASCII letters and periods. */
function isDottedLetters(text: string, start: number, end: number): boolean {
  if ((end - start) % 2 === 0) return false;
  for (let i = start; i < end; i++) {
    if ((text.charCodeAt(i) === 46) !== ((i - start) % 2 === 1)) return false;
  }
  return true;
}

/** Anything but a lower-case word may open a sentence; so may a lower-case prefix before a capital ("cT1b"). */
function opensSentence(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (!(c >= 97 && c <= 122)) return true;
  const d = text.charCodeAt(i + 1);
  const e = text.charCodeAt(i + 2);
  return (d >= 65 && d <= 90) || (d >= 97 && d <= 122 && e >= 65 && e <= 90);
}

function isCloser(c: number): boolean {
  return c === 41 || c === 93 || c === 34 || c === 39 || c === 0x201d || c === 0x2019;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}

function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}
