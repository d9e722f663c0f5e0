// Literals found by string search instead of by a regex alternation. V8 scans an alternation of words
// ("lymph|adenopathy|nodal|node") several times slower than plain string search, so an alternation of plain
// words is found here word by word (every word of a note in one pass, NeedleIndex), with the same hits as the
// regex scan. V8's own string search skips to the next occurrence of a needle's first character with memchr, so a
// needle it searches is found fastest from its rarest character ("vascular" from "vascul", "mixed" from "xed").
// narrowed-scan.ts builds on these to try whole patterns only where their literals stand.
import { isLowerCaseNote, lowerCaseOf } from '../text/lower-case.ts';
import { NeedleIndex } from '../text/needle-index.ts';

/** The regex scan itself, for the rare note whose lower-case form has another length ("İ"). */
function regexHits(text: string, words: readonly string[]): number[] {
  const alternation = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gi');
  return [...text.matchAll(alternation)].map((m) => m.index);
}

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
 * occurrencesOf(text, literal), case-sensitive: an ASCII literal is looked up in the note's lower case (indexed
 * once for every extractor) and kept where the note writes it as given ("NED", "R0", "Stage"), instead of a
 * sweep of the note per literal.
 */
export function writtenOccurrences(text: string, literal: string): readonly number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined || !isAscii(literal)) return occurrencesOf(text, literal);
  return occurrencesOf(lower, literal.toLowerCase()).filter((at) => text.startsWith(literal, at));
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}
