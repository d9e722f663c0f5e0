// Literal heads found by string search instead of by a regex alternation. V8 scans an alternation of words
// ("lymph|adenopathy|nodal|node") several times slower than plain string search, so an alternation of plain
// words is found here word by word (every word of a note in one pass, NeedleIndex), with the same hits as the
// regex scan. Below, narrowed scans do the same for whole patterns.
import { foldedExec, foldedMatchAll, foldedSuffixLength, lowerCaseTwin } from './folded-match.ts';
import { isLowerCaseNote, lowerCaseOf } from '../text/lower-case.ts';
import { NeedleIndex } from '../text/needle-index.ts';

/** The regex scan itself, for the rare note whose lower-case form has another length ("İ"). */
function regexHits(text: string, words: readonly string[]): number[] {
  const alternation = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gi');
  return [...text.matchAll(alternation)].map((m) => m.index);
}

/**
 * text.matchAll(pattern) for a global pattern, tried only at `starts` (ascending) with `sticky`, its sticky twin.
 * Exact when every match of the pattern starts at one of them: the global scan's next match is the first offset
 * from the end of the last one where the pattern matches, and so is this one's.
 */
export function* matchAtStarts(text: string, sticky: RegExp, starts: readonly number[]): Generator<RegExpExecArray> {
  let next = 0;
  for (const at of starts) {
    if (at < next) continue;
    const m = foldedExec(text, sticky, at);
    next = at + 1;
    if (!m) continue;
    next = Math.max(next, at + m[0].length);
    yield m;
  }
}

// Narrowed scans. A regex scan tests a pattern at every offset of the note, while V8's string search skips to the
// next occurrence of a needle's first character with memchr; so a needle is found fastest from its rarest
// character ("vascular" from "vascul", "mixed" from "xed"). A pattern whose matches all hold one of a few
// literals (anchors) at known distances from their start is tried only there: a narrowed scan, which must find
// what the full scan finds (engine/test/extract-scans.test.ts checks each on generated text).

/** Characters from the most to the least frequent in clinical notes (gold notes, ASCII); unlisted ones are rarer. */
const BY_FREQUENCY = ' eaitonrslcmd\n.phIuANgTESRCyO,L:2fvbM1Pw0-DHG/()3;UF4B6x5YkV897WXz%+KqjJ\'#<Q=~Z">_&[]';
/** V8 searches needles shorter than this with memchr on their first character (longer ones start slower). */
const FAST_KEY_LENGTH = 6;
/** How many places rarer in BY_FREQUENCY a needle's last character must be to be searched alone. */
const LONE_KEY_RARITY = 25;

/**
 * Every offset where `needle` (not empty) occurs in `haystack`, overlapping occurrences included, ascending. In
 * the note's lower case, where most literals are searched, they are all found in one pass (NeedleIndex).
 */
export function occurrencesOf(haystack: string, needle: string): readonly number[] {
  if (isLowerCaseNote(haystack)) {
    const indexed = lowerCaseNeedles.occurrences(haystack, needle);
    if (indexed !== undefined) return indexed;
  }
  const keyAt = rarestKeyOffset(needle);
  const key = needle.slice(keyAt, keyAt + FAST_KEY_LENGTH);
  const keyIsNeedle = key.length === needle.length;
  const found: number[] = [];
  for (let at = haystack.indexOf(key, keyAt); at >= 0; at = haystack.indexOf(key, at + 1)) {
    if (keyIsNeedle || haystack.startsWith(needle, at - keyAt)) found.push(at - keyAt);
  }
  return found;
}

/** The literals searched in notes' lower case, indexed a note at a time. */
const lowerCaseNeedles = new NeedleIndex();

/**
 * Where the search key of a needle starts: at its rarest character. A key of one character hands every
 * occurrence of it back to the caller, so the last character is taken only when it is much rarer ("f" of "of").
 */
function rarestKeyOffset(needle: string): number {
  let offset = keyOffsets.get(needle);
  if (offset === undefined) {
    offset = rarestCharacterOffset(needle);
    keyOffsets.set(needle, offset);
  }
  return offset;
}

/** Key offsets by needle: needles are the extractors' literals, a few dozen, searched in every note. */
const keyOffsets = new Map<string, number>();

function rarestCharacterOffset(needle: string): number {
  let best = 0;
  for (let i = 1; i < needle.length - 1; i++) if (rarity(needle[i]!) > rarity(needle[best]!)) best = i;
  const last = needle.length - 1;
  return last > 0 && rarity(needle[last]!) > rarity(needle[best]!) + LONE_KEY_RARITY ? last : best;
}

function rarity(c: string): number {
  const rank = BY_FREQUENCY.indexOf(c);
  return rank < 0 ? BY_FREQUENCY.length : rank;
}

/**
 * Offsets from lists that each strictly ascend, merged: ascending, each once. Most lists are empty, so a list
 * merged with nothing is taken as it is.
 */
export function ascendingOnce(lists: ReadonlyArray<readonly number[]>): readonly number[] {
  let merged: readonly number[] = [];
  for (const list of lists) {
    if (list.length === 0) continue;
    if (merged.length === 0) {
      merged = list;
      continue;
    }
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < merged.length || j < list.length) {
      const next = j >= list.length || (i < merged.length && merged[i]! <= list[j]!) ? merged[i++]! : list[j++]!;
      if (out.length === 0 || next !== out[out.length - 1]) out.push(next);
    }
    merged = out;
  }
  return merged;
}

/** Where one alternative of an alternation matches: ascending offsets, and the end of its match at each. */
export interface AlternativeOffsets {
  offsets: readonly number[];
  ends: readonly number[];
}

/**
 * Where a global alternation's scan matches, given where each of its alternatives matches (in their order, each
 * matching at most one way at an offset): the leftmost hit at or after the end of the last one, and at one offset
 * the alternative that comes first, as a regex alternation tries them. Plain loops: it runs for every note, most
 * of which hold none of the words.
 */
export function alternationHits(alternatives: readonly AlternativeOffsets[]): number[] {
  const hits: number[] = [];
  if (alternatives.every(({ offsets }) => offsets.length === 0)) return hits;
  const next = new Array<number>(alternatives.length).fill(0);
  let end = 0;
  for (;;) {
    let best = -1;
    let bestAt = Infinity;
    for (let i = 0; i < alternatives.length; i++) {
      const { offsets } = alternatives[i]!;
      let n = next[i]!;
      while (n < offsets.length && offsets[n]! < end) n++;
      next[i] = n;
      if (n < offsets.length && offsets[n]! < bestAt) {
        best = i;
        bestAt = offsets[n]!;
      }
    }
    if (best < 0) return hits;
    hits.push(bestAt);
    end = alternatives[best]!.ends[next[best]!]!;
  }
}

/** Where a plain word matches, as an alternative (see alternationHits). */
export function wordOffsets(lower: string, word: string): AlternativeOffsets {
  const offsets = occurrencesOf(lower, word);
  return { offsets, ends: offsets.length === 0 ? offsets : offsets.map((at) => at + word.length) };
}

/**
 * Where text.matchAll(/w1|w2|.../gi) matches, for plain lower-case words: the leftmost hit from the end of the
 * last one, and at one offset the first word in the given order, as a regex alternation does. The words are
 * looked up in the note's lower case (occurrencesOf), each from its rarest character.
 */
export function rareLiteralHits(text: string, words: readonly string[]): number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return regexHits(text, words);
  return alternationHits(words.map((word) => wordOffsets(lower, word)));
}

/**
 * A global pattern and the offsets where a narrowed scan tries it: `starts` holds (ascending) the start of every
 * match of the full scan, or is undefined where only the full scan will do (lower-casing moved offsets).
 */
export interface NarrowedScan {
  readonly pattern: RegExp;
  readonly starts: (text: string) => readonly number[] | undefined;
}

/** A literal that matches of a pattern hold, and how far before it such a match can start (0: at the literal). */
export interface Anchor {
  literal: string;
  back: readonly number[];
}

/**
 * The scan of a pattern every match of which holds an anchor (in lower case for a case-insensitive pattern, as
 * written for a case-sensitive one). Either way the anchors are looked up in the note's lower case, whose literals
 * are all found in one pass (occurrencesOf); their lower case is taken once, here, not for every note.
 */
export function anchoredScan(pattern: RegExp, anchors: readonly Anchor[]): NarrowedScan {
  const lowerAnchors = anchors.map(({ literal, back }) => ({ literal, lowerLiteral: literal.toLowerCase(), back }));
  return {
    pattern,
    starts: (text) => {
      const lower = lowerCaseOf(text);
      if (!pattern.ignoreCase) return anchoredStarts(lowerAnchors, (anchor) => writtenAnchorOccurrences(text, anchor));
      return lower === undefined
        ? undefined
        : anchoredStarts(lowerAnchors, (anchor) => occurrencesOf(lower, anchor.literal));
    },
  };
}

/** An anchor with its literal's lower case. */
interface LowerCaseAnchor extends Anchor {
  lowerLiteral: string;
}

/** The offsets where a match can start, for every occurrence of every anchor: ascending, each once. */
function anchoredStarts(
  anchors: readonly LowerCaseAnchor[],
  occurrences: (anchor: LowerCaseAnchor) => readonly number[],
): readonly number[] {
  const lists: Array<readonly number[]> = [];
  for (const anchor of anchors) {
    const found = occurrences(anchor);
    if (found.length === 0) continue;
    for (const distance of anchor.back) lists.push(distance === 0 ? found : shiftedBack(found, distance));
  }
  return ascendingOnce(lists);
}

/** writtenOccurrences for an anchor whose lower case is known. */
function writtenAnchorOccurrences(text: string, { literal, lowerLiteral }: LowerCaseAnchor): readonly number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined || !isAscii(literal)) return occurrencesOf(text, literal);
  const found = occurrencesOf(lower, lowerLiteral);
  return found.length === 0 ? found : found.filter((at) => text.startsWith(literal, at));
}

/**
 * occurrencesOf(text, literal), case-sensitive: an ASCII literal is looked up in the note's lower case (indexed
 * once for every extractor) and kept where the note writes it as given ("NED", "R0", "Stage"), instead of a
 * sweep of the note per literal.
 */
export function writtenOccurrences(text: string, literal: string): readonly number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined || !isAscii(literal)) return occurrencesOf(text, literal);
  return occurrencesOf(lower, literal.toLowerCase()).filter((at) => text.startsWith(literal, at));
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

/** Offsets moved `distance` back, those that would fall before the note's start dropped. */
function shiftedBack(offsets: readonly number[], distance: number): number[] {
  const out: number[] = [];
  for (const at of offsets) if (at >= distance) out.push(at - distance);
  return out;
}

/**
 * foldedMatchAll(text, scan.pattern) (text.matchAll for a case-sensitive pattern), tried only at the scan's
 * starts (or at `starts` the caller computed as scan.starts does). Exact as matchAtStarts is, given the starts
 * hold every match.
 */
export function scanMatches(
  text: string,
  scan: NarrowedScan,
  starts = scan.starts(text),
): Generator<RegExpExecArray & { index: number }> {
  return matchesAtStarts(text, scan, starts, stickyMatch);
}

/**
 * scanMatches, but a case-insensitive pattern's matches hold the lower-cased note's strings (see lowerCaseMatch),
 * for callers that read them without regard to case: the pattern is run once where it matches, not twice.
 */
export function scanLowerCaseMatches(
  text: string,
  scan: NarrowedScan,
  starts = scan.starts(text),
): Generator<RegExpExecArray & { index: number }> {
  return matchesAtStarts(text, scan, starts, lowerCaseMatch);
}

type StickyRun = (text: string, sticky: RegExp, at: number) => (RegExpExecArray & { index: number }) | null;

function* matchesAtStarts(
  text: string,
  scan: NarrowedScan,
  starts: readonly number[] | undefined,
  run: StickyRun,
): Generator<RegExpExecArray & { index: number }> {
  if (starts === undefined) {
    yield* foldedMatchAll(text, scan.pattern) as Generator<RegExpExecArray & { index: number }>;
    return;
  }
  const sticky = stickyTwin(scan.pattern);
  let next = 0;
  for (const at of starts) {
    if (at < next) continue;
    const m = run(text, sticky, at);
    next = at + 1;
    if (!m) continue;
    next = Math.max(next, at + m[0].length);
    yield m;
  }
}

/**
 * foldedExec(text, sticky, at). A case-insensitive pattern is first tried without match indices (its lower-case
 * twin without "d"), which costs less where it fails, and run with them only where it matches.
 */
function stickyMatch(text: string, sticky: RegExp, at: number): (RegExpExecArray & { index: number }) | null {
  const lower = sticky.ignoreCase ? lowerCaseOf(text) : undefined;
  if (lower !== undefined) {
    const test = lowerCaseTwin(sticky, false);
    test.lastIndex = at;
    if (!test.test(lower)) return null;
  }
  return foldedExec(text, sticky, at) as (RegExpExecArray & { index: number }) | null;
}

const stickyTwins = new WeakMap<RegExp, RegExp>();

/** The pattern tried at one offset only: "y" instead of "g". */
function stickyTwin(pattern: RegExp): RegExp {
  let twin = stickyTwins.get(pattern);
  if (!twin) {
    twin = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'y');
    stickyTwins.set(pattern, twin);
  }
  return twin;
}

/** Heads found by string search, which must be where a global pattern's scan matches (foldedHits). */
export interface NarrowedHeads {
  readonly pattern: RegExp;
  readonly find: (text: string) => readonly number[];
}

/**
 * A lead: a pattern anchored at "$" that measures the words before a head (see matchFromHeadOffsets), within `lookBack`
 * characters. V8 tries it at every offset of that window, so it is run only where `mayMatch` says it can match
 * more than nothing; mayMatch must be true wherever it does. `earliestStart`, when given, narrows the window
 * further: no match in text[from, at) starts before the offset it returns, and at that offset the lead's
 * lookbehind sees what it sees at the window's start (a character it accepts there, or `from` itself).
 */
export interface NarrowedLead {
  readonly lead: RegExp;
  readonly lookBack: number;
  readonly mayMatch: (text: string, from: number, at: number) => boolean;
  readonly earliestStart?: (text: string, from: number, at: number) => number;
}

/** How many characters before `at` the lead matches (0 when none). */
export function leadLength(text: string, lead: NarrowedLead, at: number): number {
  const from = Math.max(0, at - lead.lookBack);
  if (!lead.mayMatch(text, from, at)) return 0;
  return foldedSuffixLength(text, lead.lead, lead.earliestStart?.(text, from, at) ?? from, at);
}

/**
 * Matches of the sticky `pattern` found from the offsets of its heads (literals every match holds) instead of by
 * scanning every offset: for each head offset not inside the last match, the pattern is tried once, where the
 * lead before the head begins ("deep", "all"). Equivalent to a global scan when every match holds a head and its
 * leading words are exactly what the lead accepts. A case-insensitive pattern's matches hold the lower-cased
 * note's strings (see lowerCaseMatch): the callers read them without regard to case.
 */
export function* matchFromHeadOffsets(
  text: string,
  heads: readonly number[],
  lead: NarrowedLead,
  pattern: RegExp,
): Generator<RegExpExecArray & { index: number }> {
  let lastEnd = -1;
  for (const at of heads) {
    if (at < lastEnd) continue;
    const m = lowerCaseMatch(text, pattern, Math.max(at - leadLength(text, lead, at), lastEnd));
    if (!m || m.index > at) continue;
    lastEnd = m.index + m[0].length;
    yield m;
  }
}

/**
 * The sticky `pattern` run at `at`, as foldedExec runs it, but with the strings of the match (whole, groups) in
 * lower case where the pattern is case-insensitive: its lower-case twin is run once over the lower-cased note,
 * without match indices to cut the note's strings by (stickyMatch runs a pattern twice where it matches).
 */
function lowerCaseMatch(text: string, sticky: RegExp, at: number): (RegExpExecArray & { index: number }) | null {
  const lower = sticky.ignoreCase ? lowerCaseOf(text) : undefined;
  const pattern = lower === undefined ? sticky : lowerCaseTwin(sticky, false);
  pattern.lastIndex = at;
  return pattern.exec(lower ?? text) as (RegExpExecArray & { index: number }) | null;
}

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

const WHITESPACE = /\s/;
const ASCII = 128;
/** WHITESPACE.test for each ASCII character: most characters tested are ASCII, and a lookup is no regex call. */
const ASCII_WHITESPACE = Array.from({ length: ASCII }, (_, code) => WHITESPACE.test(String.fromCharCode(code)));

/** Whether the character with this code is whitespace, as a regex's \s. */
export function isWhitespace(code: number): boolean {
  return code < ASCII ? ASCII_WHITESPACE[code]! : WHITESPACE.test(String.fromCharCode(code));
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
