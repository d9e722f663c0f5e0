// Where each of the extractors' literals occurs in one note, found in one pass. The extractors search a note for
// some seventy short literals ("grade", "node", "of", "/"); one indexOf sweep per literal reads the note seventy
// times, while one pass that looks each position's first three characters up in a bit table reads it once and
// compares only where a literal begins with those three (about one position in sixteen in clinical text).

/** Literals longer than this are left to indexOf, which skips ahead fast enough on long needles. */
const MAX_NEEDLE_LENGTH = 32;
/** A bound on how many literals are indexed: the extractors' constants, not words taken from notes. */
const MAX_NEEDLES = 256;
/** Needles and the characters looked up in the table are ASCII (7 bits each). */
const ASCII = 128;
/** Three 7-bit characters. */
const TRIGRAMS = 1 << 21;
/** The candidate buffer is kept between haystacks up to this many positions (4 MB). */
const MAX_KEPT_CANDIDATES = 1 << 20;

const NONE: readonly number[] = Object.freeze([]);

export class NeedleIndex {
  private readonly needles: string[] = [];
  private readonly ids = new Map<string, number>();
  /** By the first two characters of a needle (c0 << 7 | c1): 1 + the id of the last needle with them, or 0. */
  private readonly byPair = new Int32Array(ASCII * ASCII);
  /** 1 + the id of the needle with the same first two characters registered before this one, or 0. */
  private samePair: number[] = [];
  /** By character: 1 + the id of the one-character needle, or 0. */
  private readonly single = new Int32Array(ASCII);
  /**
   * A bit for each three characters (c0 << 14 | c1 << 7 | c2) a needle can begin a match with; a shorter needle
   * sets every way its match can go on. One load and a bit test per position turn away all but the ~6 % of
   * positions that begin a match or share a needle's first three characters.
   */
  private readonly starts = new Int32Array(TRIGRAMS / 32);

  /** The haystack indexed last, how many needles it was indexed for, and their offsets in it, by id. */
  private haystack: string | undefined;
  private indexedCount = 0;
  private found: Array<readonly number[]> = [];
  /** Room for the positions where needles may occur, kept for the next haystack up to a bound. */
  private scratch = new Int32Array(0);

  /**
   * Every offset where `needle` occurs in `haystack` (overlapping ones included, ascending), or undefined when
   * the caller must search itself: the needle is not indexable, or was first asked for after this haystack was
   * indexed (it is indexed from the next haystack on). The array is shared: callers must not change it.
   */
  occurrences(haystack: string, needle: string): readonly number[] | undefined {
    const id = this.ids.get(needle) ?? this.register(needle);
    if (id < 0) return undefined;
    if (haystack !== this.haystack) this.index(haystack);
    // Equal text in another string object is indexed already; keeping this object makes the next questions a
    // pointer comparison, not a comparison of the whole note (see lower-case.ts).
    this.haystack = haystack;
    return id < this.indexedCount ? this.found[id] : undefined;
  }

  private register(needle: string): number {
    if (!indexable(needle) || this.needles.length >= MAX_NEEDLES) {
      this.ids.set(needle, -1);
      return -1;
    }
    const id = this.needles.length;
    this.needles.push(needle);
    this.ids.set(needle, id);
    const first = needle.charCodeAt(0);
    if (needle.length === 1) {
      this.single[first] = id + 1;
    } else {
      const pair = (first << 7) | needle.charCodeAt(1);
      this.samePair[id] = this.byPair[pair]!;
      this.byPair[pair] = id + 1;
    }
    this.markStarts(needle);
    return id;
  }

  /** Sets the bit of every three characters a match of the needle can begin with (NUL past the end included). */
  private markStarts(needle: string): void {
    const prefix = needle.length >= 3 ? 0 : needle.length === 2 ? 1 : 2;
    const fixed = needle.length >= 3 ? 3 : needle.length;
    let key = 0;
    for (let i = 0; i < fixed; i++) key = (key << 7) | needle.charCodeAt(i);
    const shift = 7 * prefix;
    for (let rest = 0; rest < 1 << shift; rest++) {
      const trigram = (key << shift) | rest;
      this.starts[trigram >>> 5] = this.starts[trigram >>> 5]! | (1 << (trigram & 31));
    }
  }

  private index(haystack: string): void {
    const found = new Array<readonly number[]>(this.needles.length).fill(NONE);
    const starts = this.starts;
    const candidates = this.candidatesFor(haystack.length);
    const n = haystack.length;
    // The three characters from each position, non-ASCII ones and those past the end read as NUL (no needle
    // holds one, so NUL only goes on a shorter needle's match). The positions to look at are noted without a
    // branch (whether one is a candidate is as good as random, and a mispredicted branch costs more than the
    // test), then looked at.
    let trigram = (asciiAt(haystack, 0) << 7) | asciiAt(haystack, 1);
    let count = 0;
    for (let at = 0; at < n; at++) {
      trigram = ((trigram << 7) | asciiAt(haystack, at + 2)) & (TRIGRAMS - 1);
      candidates[count] = at;
      count += (starts[trigram >>> 5]! >>> (trigram & 31)) & 1;
    }
    for (let i = 0; i < count; i++) this.addMatchesAt(found, haystack, candidates[i]!);
    this.haystack = haystack;
    this.indexedCount = this.needles.length;
    this.found = found;
  }

  /** Room for a candidate at every position of a haystack of `length` (and one more, written and not counted). */
  private candidatesFor(length: number): Int32Array {
    if (this.scratch.length > length) return this.scratch;
    const candidates = new Int32Array(length + 1);
    if (candidates.length <= MAX_KEPT_CANDIDATES) this.scratch = candidates;
    return candidates;
  }

  /** Adds `at` to the list of each needle that occurs there. */
  private addMatchesAt(found: Array<readonly number[]>, haystack: string, at: number): void {
    const c0 = haystack.charCodeAt(at);
    if (c0 >= ASCII) return;
    const single = this.single[c0]!;
    if (single !== 0) addTo(found, single - 1, at);
    // NaN past the end: no pair.
    const c1 = haystack.charCodeAt(at + 1);
    if (!(c1 < ASCII)) return;
    for (let entry = this.byPair[(c0 << 7) | c1]!; entry !== 0; entry = this.samePair[entry - 1]!) {
      if (goesOnWith(haystack, at, this.needles[entry - 1]!)) addTo(found, entry - 1, at);
    }
  }
}

/** The character at `at` when it is ASCII, else 0 (also past the end). */
function asciiAt(haystack: string, at: number): number {
  if (at >= haystack.length) return 0;
  const code = haystack.charCodeAt(at);
  return code < ASCII ? code : 0;
}

/** Whether `needle` occurs at `at` in `haystack`, given that its first two characters do. */
function goesOnWith(haystack: string, at: number, needle: string): boolean {
  const length = needle.length;
  if (at + length > haystack.length) return false;
  for (let i = 2; i < length; i++) if (haystack.charCodeAt(at + i) !== needle.charCodeAt(i)) return false;
  return true;
}

/** Adds an offset to a needle's list, which stays the shared empty one until its first offset. */
function addTo(found: Array<readonly number[]>, id: number, at: number): void {
  const list = found[id]!;
  if (list === NONE) found[id] = [at];
  else (list as number[]).push(at);
}

function indexable(needle: string): boolean {
  if (needle.length === 0 || needle.length > MAX_NEEDLE_LENGTH) return false;
  for (let i = 0; i < needle.length; i++) {
    const code = needle.charCodeAt(i);
    if (code === 0 || code >= ASCII) return false;
  }
  return true;
}
