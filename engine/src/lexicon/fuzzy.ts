// Bounded misspelling tolerance against lexicon words only.
//
// Policy (why each limit exists):
// - Only lexicon words of 6+ letters can be reached, and only from note tokens of 6+ letters: short words have too
//   many real-word neighbours ("liver"/"river"/"lever", "colon"/"colan").
// - Edit distance is optimal-string-alignment Damerau-Levenshtein: at most 1 for words under 10 letters, at most 2
//   for words of 10+ letters ("adenocarinoma", "pancraetic", "lymphovasular").
// - The first three letters must agree: misspellings in notes rarely hit the start of a word, and this keeps both
//   false hits and the candidate list small.
// - Tokens that are common English or clinical words (common-words.json) or that contain digits are never
//   corrected, and a token with two equally close lexicon words is left alone.
// Candidates are the lexicon words with the same first letter and a length within the edit bound; a 26-bit
// letter-set filter rejects most of them before the bounded distance runs, so an unknown token costs a few dozen
// integer operations.

export const MIN_FUZZY_LENGTH = 6;
const PREFIX_LENGTH = 3;
const LONG_WORD = 10;

export function maxEdits(length: number): number {
  if (length < MIN_FUZZY_LENGTH) return 0;
  return length >= LONG_WORD ? 2 : 1;
}

/** Optimal string alignment distance, giving up (returning limit + 1) once the distance must exceed limit. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const m = a.length;
  const n = b.length;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[n]!;
}

function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << ((word.charCodeAt(i) - 97) & 31);
  return mask;
}

/** The three letters at `at` as a number below 26³, or -1 when one is not a-z. */
function prefixCode(text: string, at: number): number {
  const a = text.charCodeAt(at) - 97;
  const b = text.charCodeAt(at + 1) - 97;
  const c = text.charCodeAt(at + 2) - 97;
  if (!(a >= 0 && a < 26 && b >= 0 && b < 26 && c >= 0 && c < 26)) return -1;
  return (a * 26 + b) * 26 + c;
}

/** Lengths from this one up share one bit in FuzzyIndex's length masks. */
const LONGEST_LENGTH_BIT = 30;

function lengthBit(length: number): number {
  return 1 << Math.min(length, LONGEST_LENGTH_BIT);
}

/**
 * By token length (LONGEST_LENGTH_BIT for any longer), the length bits of the lexicon words correct() may reach
 * from it: a length difference within the edit bound of both words (the distance is at least the difference).
 */
const REACHABLE_LENGTHS = Array.from({ length: LONGEST_LENGTH_BIT + 1 }, (_, tokenLength) => {
  let bits = 0;
  const limit = maxEdits(tokenLength);
  for (let length = tokenLength - limit; length <= tokenLength + limit; length++) {
    if (length >= MIN_FUZZY_LENGTH && Math.abs(length - tokenLength) <= Math.min(limit, maxEdits(length)))
      bits |= lengthBit(length);
  }
  // A long token, or a word past the last bit, shares that bit: let the candidates decide.
  if (tokenLength + limit >= LONGEST_LENGTH_BIT) bits |= lengthBit(LONGEST_LENGTH_BIT);
  return bits;
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

interface Candidate {
  word: string;
  mask: number;
}

export class FuzzyIndex {
  /** Lexicon words by their first three letters, then by length. */
  private readonly buckets = new Map<string, Map<number, Candidate[]>>();
  /**
   * By three-letter prefix (a-z), the lengths of its bucket's words as bits (LONGEST_LENGTH_BIT for any longer):
   * most unknown words are ruled out by one array read, with no candidate near their length.
   */
  private readonly lengthsByPrefix = new Int32Array(26 * 26 * 26);

  constructor(
    words: Iterable<string>,
    private readonly blocked: ReadonlySet<string>,
  ) {
    for (const word of new Set(words)) {
      if (word.length < MIN_FUZZY_LENGTH || !/^[a-z]+$/.test(word)) continue;
      const key = word.slice(0, PREFIX_LENGTH);
      let byLength = this.buckets.get(key);
      if (!byLength) this.buckets.set(key, (byLength = new Map<number, Candidate[]>()));
      const list = byLength.get(word.length);
      const code = prefixCode(word, 0);
      this.lengthsByPrefix[code] = this.lengthsByPrefix[code]! | lengthBit(word.length);
      const candidate = { word, mask: letterMask(word) };
      if (list) list.push(candidate);
      else byLength.set(word.length, [candidate]);
    }
  }

  /**
   * False when the word text[start, end) (lower case) cannot be corrected: too short, or no lexicon word begins
   * with its first three letters and has a length within the edit bound of both (as correct() requires). A cheap
   * test before a token is looked up or cut out of the note.
   */
  mayCorrect(text: string, start: number, end: number): boolean {
    const length = end - start;
    if (maxEdits(length) === 0) return false;
    const code = prefixCode(text, start);
    return code >= 0 && (this.lengthsByPrefix[code]! & REACHABLE_LENGTHS[Math.min(length, LONGEST_LENGTH_BIT)]!) !== 0;
  }

  /** The one lexicon word within the allowed distance of token, or undefined. token is lower-case. */
  correct(token: string): string | undefined {
    const limit = maxEdits(token.length);
    if (limit === 0) return undefined;
    const byLength = this.buckets.get(token.slice(0, PREFIX_LENGTH));
    if (!byLength || this.blocked.has(token) || !/^[a-z]+$/.test(token)) return undefined;
    const mask = letterMask(token);
    let best: string | undefined;
    let bestDistance = limit + 1;
    let tie = false;
    for (let length = token.length - limit; length <= token.length + limit; length++) {
      for (const candidate of byLength.get(length) ?? []) {
        const bound = Math.min(limit, maxEdits(length));
        if (bound === 0 || popcount(mask ^ candidate.mask) > 2 * bound) continue;
        const d = editDistance(token, candidate.word, bound);
        if (d > bound) continue;
        if (d < bestDistance) {
          best = candidate.word;
          bestDistance = d;
          tie = false;
        } else if (d === bestDistance) {
          tie = true;
        }
      }
    }
    return best !== undefined && !tie ? best : undefined;
  }
}
