// Where each of the extractors' literals occurs in one note, found in one pass. The extractors search a note for
// some seventy short literals ("grade", "node", "of", "/"); one indexOf sweep per literal reads the note seventy
// times, while one pass that looks each position's first two characters up in a table reads it once and compares
// only where a literal begins with those two and may go on with the third (about one position in twenty in
// clinical text).

/** Literals longer than this are left to indexOf, which skips ahead fast enough on long needles. */
const MAX_NEEDLE_LENGTH = 32;
/** A bound on how many literals are indexed: the extractors' constants, not words taken from notes. */
const MAX_NEEDLES = 256;
/** Needles and the characters paired in the table are ASCII (7 bits each). */
const ASCII = 128;

const NONE: readonly number[] = Object.freeze([]);

export class NeedleIndex {
  private readonly needles: string[] = [];
  private readonly ids = new Map<string, number>();
  /** By the first two characters of a needle (c0 << 7 | c1): 1 + the id of the last needle with them, or 0. */
  private readonly byPair = new Int32Array(ASCII * ASCII);
  /** 1 + the id of the needle with the same first two characters registered before this one, or 0. */
  private samePair: number[] = [];
  /**
   * By pair, the third characters its needles go on with, as bits (code & 31; a clash only costs a comparison);
   * every bit when a needle is the pair itself. A pair common in notes ("re", "co") is mostly turned away here.
   */
  private readonly thirdChars = new Int32Array(ASCII * ASCII);
  /** By character: 1 + the id of the one-character needle, or 0. */
  private readonly single = new Int32Array(ASCII);

  /** The haystack indexed last, how many needles it was indexed for, and their offsets in it, by id. */
  private haystack: string | undefined;
  private indexedCount = 0;
  private found: Array<readonly number[]> = [];

  /**
   * Every offset where `needle` occurs in `haystack` (overlapping ones included, ascending), or undefined when
   * the caller must search itself: the needle is not indexable, or was first asked for after this haystack was
   * indexed (it is indexed from the next haystack on). The array is shared: callers must not change it.
   */
  occurrences(haystack: string, needle: string): readonly number[] | undefined {
    const id = this.ids.get(needle) ?? this.register(needle);
    if (id < 0) return undefined;
    if (haystack !== this.haystack) this.index(haystack);
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
      const third = needle.length === 2 ? ALL_THIRD_CHARS : thirdCharBit(needle.charCodeAt(2));
      this.thirdChars[pair] = this.thirdChars[pair]! | third;
    }
    return id;
  }

  private index(haystack: string): void {
    const needles = this.needles;
    const found = new Array<readonly number[]>(needles.length).fill(NONE);
    const n = haystack.length;
    let c0 = n > 0 ? haystack.charCodeAt(0) : 0;
    for (let at = 0; at < n; at++) {
      // 0 past the end: no needle holds a NUL, so the last character pairs with nothing.
      const c1 = at + 1 < n ? haystack.charCodeAt(at + 1) : 0;
      if (c0 < ASCII) {
        const single = this.single[c0]!;
        if (single !== 0) addTo(found, single - 1, at);
        const pair = (c0 << 7) | c1;
        // Past the end charCodeAt gives NaN, read as bit 0; the comparison below then turns any needle away.
        if (c1 < ASCII && (this.thirdChars[pair]! & thirdCharBit(haystack.charCodeAt(at + 2))) !== 0) {
          for (let entry = this.byPair[pair]!; entry !== 0; entry = this.samePair[entry - 1]!) {
            const needle = needles[entry - 1]!;
            if (needle.length === 2 || haystack.startsWith(needle, at)) addTo(found, entry - 1, at);
          }
        }
      }
      c0 = c1;
    }
    this.haystack = haystack;
    this.indexedCount = needles.length;
    this.found = found;
  }
}

const ALL_THIRD_CHARS = -1;

function thirdCharBit(code: number): number {
  return 1 << (code & 31);
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
