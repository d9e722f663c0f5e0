// Literal heads found by string search instead of by a regex alternation. V8 scans an alternation of words
// ("lymph|adenopathy|nodal|node") several times slower than it finds one word with indexOf, so an alternation
// of plain words is found here word by word, with the same hits as the regex scan.
import { foldedExec, lowerCaseOf } from './folded-match.ts';

/** Characters of a word that name its search key; words that share them are searched together ("nodal", "node"). */
const MAX_KEY_LENGTH = 3;

/**
 * Where text.matchAll(/w1|w2|.../gi) matches, for plain lower-case words: the leftmost hit from the end of the
 * last one, and at one offset the first word in the given order, as a regex alternation does. Words that begin
 * alike share one search; at a shared hit the words are checked in order. Two words can only match at the same
 * offset when they share their first characters, so the order across searches never matters.
 */
export function literalHits(text: string, words: readonly string[]): number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return regexHits(text, words);
  const searches = searchesFor(words);
  const hits: number[] = [];
  let from = 0;
  for (;;) {
    let best: Search | undefined;
    let bestAt = -1;
    for (const search of searches) {
      const at = search.next(lower, from);
      if (at >= 0 && (bestAt < 0 || at < bestAt)) {
        best = search;
        bestAt = at;
      }
    }
    if (!best) return hits;
    const word = best.words.find((w) => lower.startsWith(w, bestAt));
    if (word === undefined) {
      best.skip(lower, bestAt);
      continue;
    }
    hits.push(bestAt);
    from = bestAt + word.length;
  }
}

/** One key's search through the note: its next hit at or after an offset, searched again only when passed. */
class Search {
  private at = -2;
  constructor(
    readonly key: string,
    readonly words: readonly string[],
  ) {}

  next(lower: string, from: number): number {
    if (this.at === -2 || (this.at >= 0 && this.at < from)) this.at = lower.indexOf(this.key, from);
    return this.at;
  }

  /** A key hit where none of its words matches: search on past it. */
  skip(lower: string, at: number): void {
    this.at = lower.indexOf(this.key, at + 1);
  }
}

/** Keys all have one length, so that two words that can match at one offset always share a key. */
function searchesFor(words: readonly string[]): Search[] {
  const keyLength = Math.min(MAX_KEY_LENGTH, ...words.map((w) => w.length));
  const byKey = new Map<string, string[]>();
  for (const word of words) {
    const key = word.slice(0, keyLength);
    byKey.set(key, [...(byKey.get(key) ?? []), word]);
  }
  return [...byKey].map(([key, grouped]) => new Search(key, grouped));
}

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
