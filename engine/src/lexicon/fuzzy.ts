// Bounded misspelling tolerance against lexicon words only.
//
// Policy (why each limit exists):
// - Only lexicon words of 6+ letters can be reached, and only from note tokens of 6+ letters: short words have too
//   many real-word neighbours ("liver"/"river"/"lever", "colon"/"colan").
// - Edit distance is optimal-string-alignment Damerau-Levenshtein: at most 1 for words under 10 letters, at most 2
//   for words of 10+ letters ("adenocarinoma", "pancraetic", "lymphovasular").
// - The first letter must agree: misspellings in notes rarely hit the first letter, and this halves false hits.
// - Tokens that are common English or clinical words (common-words.json) or that contain digits are never
//   corrected, and a token with two equally close lexicon words is left alone.
// Candidates come from a symmetric-delete index (each word and its 1- and 2-letter deletions), so a lookup costs a
// few hash probes instead of a scan over the lexicon.

export const MIN_FUZZY_LENGTH = 6;
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

function deletions(word: string, depth: number, into: Set<string>): void {
  if (depth === 0) return;
  for (let i = 0; i < word.length; i++) {
    const d = word.slice(0, i) + word.slice(i + 1);
    if (into.has(d)) continue;
    into.add(d);
    deletions(d, depth - 1, into);
  }
}

export class FuzzyIndex {
  private readonly byKey = new Map<string, string[]>();

  constructor(
    words: Iterable<string>,
    private readonly blocked: ReadonlySet<string>,
  ) {
    for (const word of words) {
      if (word.length < MIN_FUZZY_LENGTH || !/^[a-z]+$/.test(word)) continue;
      const keys = new Set<string>([word]);
      deletions(word, maxEdits(word.length), keys);
      for (const key of keys) {
        const list = this.byKey.get(key);
        if (list) list.push(word);
        else this.byKey.set(key, [word]);
      }
    }
  }

  /** The one lexicon word within the allowed distance of token, or undefined. token is lower-case. */
  correct(token: string): string | undefined {
    const limit = maxEdits(token.length);
    if (limit === 0 || this.blocked.has(token) || !/^[a-z]+$/.test(token)) return undefined;
    const keys = new Set<string>([token]);
    deletions(token, limit, keys);
    let best: string | undefined;
    let bestDistance = limit + 1;
    let tie = false;
    const seen = new Set<string>();
    for (const key of keys) {
      for (const word of this.byKey.get(key) ?? []) {
        if (seen.has(word) || word[0] !== token[0]) continue;
        seen.add(word);
        const d = editDistance(token, word, Math.min(limit, maxEdits(word.length)));
        if (d < bestDistance) {
          best = word;
          bestDistance = d;
          tie = false;
        } else if (d === bestDistance && word !== best) {
          tie = true;
        }
      }
    }
    return best !== undefined && bestDistance <= limit && !tie ? best : undefined;
  }
}
