// Finds sentence ends inside one block of running text (a paragraph, a bullet, a field): clinical text wraps lines
// mid-sentence, so only closing punctuation ends a sentence here; abbreviations, initials and decimals do not.

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
 */
export function splitSentences(text: string, start: number, end: number, emit: (s: number, e: number) => void): void {
  let sentenceStart = skipBlanks(text, start, end);
  for (let i = nextStop(text, sentenceStart); i < end; i = nextStop(text, i + 1)) {
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

const STOP = /[.!?]/g;
let stopText = '';
let stopFrom = 0;
let stopAt = 0;

/**
 * Offset of the first ".", "!" or "?" at or after `from` (the text's length when none). Blocks are split in
 * order, so the last answer is kept: a long stretch without punctuation is scanned once, not once per block.
 */
function nextStop(text: string, from: number): number {
  if (text === stopText && stopFrom <= from && from <= stopAt) return stopAt;
  STOP.lastIndex = from;
  const found = STOP.exec(text);
  stopText = text;
  stopFrom = from;
  stopAt = found ? found.index : text.length;
  return stopAt;
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
  const word = text.slice(k, period).toLowerCase();
  if (word.length === 0) return false;
  if (word.length === 1) return isLetter(word.charCodeAt(0));
  if (ABBREVIATIONS.has(word)) return true;
  // A dotted abbreviation such as "e.g" or "r.e.n.a.l": single letters between periods.
  return /^(?:[a-z]\.)+[a-z]$/.test(word);
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

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}

function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}
