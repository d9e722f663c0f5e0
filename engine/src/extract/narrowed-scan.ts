// Narrowed scans. A regex scan tests a pattern at every offset of the note; a pattern whose matches all hold one of
// a few literals (anchors, heads) at known distances from their start is tried only there instead, and must find
// what the full scan finds (engine/test/extract-scans.test.ts checks each on generated text).
import { foldedExec, foldedMatchAll, foldedSuffixLength, lowerCaseTwin } from './folded-match.ts';
import { ascendingOnce, isAscii, occurrencesOf } from './literal-heads.ts';
import { lowerCaseOf } from '../text/lower-case.ts';

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
