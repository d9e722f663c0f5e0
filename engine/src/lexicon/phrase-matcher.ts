// Finds lexicon phrases in a note in one pass over its word tokens: a trie over word ids, longest match first, with
// the misspelling tolerance of fuzzy.ts. Words are numbered once (WordIds, shared by all lexicons), so a note's
// tokens are looked up in one hash table once and every matcher then walks small integer-keyed tries.
import { FuzzyIndex } from './fuzzy.ts';
import { joinedBySpace, tokenize, type Token, type TokenSpan } from './tokens.ts';

export interface LexiconTerm<P> {
  /** The phrase as written in the lexicon, e.g. "invasive ductal carcinoma". */
  term: string;
  payload: P;
  /** Abbreviations such as "PR" or "NED" that only count when the note spells them in the same case. */
  caseSensitive?: boolean;
}

export interface PhraseMatch<P> {
  start: number;
  end: number;
  /** Index of the first and one past the last token of the match. */
  firstToken: number;
  endToken: number;
  payload: P;
  /** True when a token was matched through misspelling tolerance. */
  fuzzy: boolean;
}

/** Numbers for lexicon words; filled while lexicons are built, read-only afterwards. */
export class WordIds {
  private readonly ids = new Map<string, number>();
  /**
   * Open-addressing table over the words' characters (slot: id + 1, 0 when empty), so a note's token is looked
   * up straight from the note's text without cutting it out as a string. Built on first lookup, dropped when a
   * word is registered.
   */
  private table: Int32Array | undefined;
  private byId: string[] = [];
  /** 1 for the ids of words that begin a term of some matcher numbering its words here. */
  private beginsTermFlags = new Uint8Array(0);

  register(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(word, id);
      this.byId.push(word);
      this.table = undefined;
    }
    return id;
  }

  /**
   * The id of the word text[start, end) (already lower-case), or -1. `hash` is hashChars of those characters, for
   * a caller that computed it while scanning them.
   */
  idAt(text: string, start: number, end: number, hash = hashChars(text, start, end)): number {
    const table = (this.table ??= this.buildTable());
    const mask = table.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) return -1;
      const word = this.byId[entry - 1]!;
      if (word.length !== length) continue;
      let k = 0;
      while (k < length && word.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === length) return entry - 1;
    }
  }

  private buildTable(): Int32Array {
    let size = 16;
    while (size < this.byId.length * 4) size *= 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    this.byId.forEach((word, id) => {
      let slot = hashChars(word, 0, word.length) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    });
    return table;
  }

  get(word: string): number | undefined {
    return this.ids.get(word);
  }

  markBeginsTerm(id: number): void {
    if (id >= this.beginsTermFlags.length) {
      const flags = new Uint8Array(Math.max(this.ids.size, 2 * this.beginsTermFlags.length));
      flags.set(this.beginsTermFlags);
      this.beginsTermFlags = flags;
    }
    this.beginsTermFlags[id] = 1;
  }

  /** Whether the word with this id (not -1) begins a term of any matcher built so far over these ids. */
  beginsTerm(id: number): boolean {
    return id < this.beginsTermFlags.length && this.beginsTermFlags[id] === 1;
  }

  /** How many words are numbered: every id is below it. */
  get size(): number {
    return this.ids.size;
  }

  words(): IterableIterator<string> {
    return this.ids.keys();
  }
}

/** FNV-1a over UTF-16 code units (step by step: FNV_OFFSET, then hashStep per character, then >>> 0). */
export const FNV_OFFSET = 0x811c9dc5;
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

export function hashChars(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = hashStep(h, text.charCodeAt(i));
  return h >>> 0;
}

/** A note's tokens as word ids (-1: not a lexicon word) and whether each id came from a misspelling correction. */
export interface TokenIds {
  ids: Int32Array;
  corrected: Uint8Array;
  /**
   * Ascending indices of the tokens whose word begins a term of some matcher over these word ids (wordsBeginningTerms):
   * every matcher visits only these, a fraction of the note's tokens.
   */
  termStarts: Int32Array;
}

/** The termStarts of TokenIds: the matchers that use them must all be built before. */
export function wordsBeginningTerms(ids: Int32Array, wordIds: WordIds): Int32Array {
  const starts: number[] = [];
  ids.forEach((id, i) => {
    if (id >= 0 && wordIds.beginsTerm(id)) starts.push(i);
  });
  return Int32Array.from(starts);
}

interface TrieNode<P> {
  next: Map<number, TrieNode<P>>;
  terms: Array<LexiconTerm<P>>;
}

export interface PhraseMatcherOptions {
  /** Lower-case words never corrected by misspelling tolerance (common English and clinical words). */
  knownWords?: ReadonlySet<string>;
  fuzzy?: boolean;
  /** Shared word numbering; a matcher without one numbers its own words. */
  wordIds?: WordIds;
}

export class PhraseMatcher<P> {
  private readonly root: TrieNode<P> = { next: new Map(), terms: [] };
  private readonly vocabulary = new Set<string>();
  private readonly wordIds: WordIds;
  private readonly fuzzy: boolean;
  private readonly knownWords: ReadonlySet<string>;
  private fuzzyIndex: FuzzyIndex | undefined;
  /**
   * The trie's first level by word id, read as an array. Ids numbered after this matcher was built (by later
   * lexicons) are past its end and begin none of its terms.
   */
  private readonly firstWords: Array<TrieNode<P> | undefined>;

  constructor(terms: ReadonlyArray<LexiconTerm<P>>, options: PhraseMatcherOptions = {}) {
    this.wordIds = options.wordIds ?? new WordIds();
    this.fuzzy = options.fuzzy !== false;
    this.knownWords = options.knownWords ?? new Set();
    for (const term of terms) {
      const words = tokenize(term.term).map((t) => t.norm);
      if (words.length === 0) continue;
      let node = this.root;
      for (const word of words) {
        this.vocabulary.add(word);
        const id = this.wordIds.register(word);
        let child = node.next.get(id);
        if (!child) {
          child = { next: new Map(), terms: [] };
          node.next.set(id, child);
        }
        node = child;
      }
      node.terms.push(term);
    }
    this.firstWords = new Array<TrieNode<P> | undefined>(this.wordIds.size).fill(undefined);
    for (const [id, node] of this.root.next) {
      this.firstWords[id] = node;
      this.wordIds.markBeginsTerm(id);
    }
  }

  /** The words of this lexicon's terms: a fuzzy index over several lexicons is built from their union. */
  words(): ReadonlySet<string> {
    return this.vocabulary;
  }

  /** Word ids for tokens, correcting misspellings against this matcher's own words (for use without shared ids). */
  tokenIds(tokens: readonly Token[]): TokenIds {
    const ids = new Int32Array(tokens.length).fill(-1);
    const corrected = new Uint8Array(tokens.length);
    const seen = new Map<string, string | undefined>();
    tokens.forEach((t, i) => {
      const id = this.wordIds.get(t.norm);
      if (id !== undefined) {
        ids[i] = id;
        return;
      }
      if (!this.fuzzy) return;
      this.fuzzyIndex ??= new FuzzyIndex(this.vocabulary, this.knownWords);
      if (!seen.has(t.norm)) seen.set(t.norm, this.fuzzyIndex.correct(t.norm));
      const word = seen.get(t.norm);
      const wordId = word === undefined ? undefined : this.wordIds.get(word);
      if (wordId !== undefined) {
        ids[i] = wordId;
        corrected[i] = 1;
      }
    });
    return { ids, corrected, termStarts: wordsBeginningTerms(ids, this.wordIds) };
  }

  /** Non-overlapping matches, longest first at each position, left to right. */
  match(text: string, tokens?: readonly Token[]): Array<PhraseMatch<P>>;
  /** The same, over tokens already numbered (by noteWords, for all lexicons at once). */
  match(text: string, tokens: readonly TokenSpan[], tokenIds: TokenIds): Array<PhraseMatch<P>>;
  match(text: string, tokens: readonly TokenSpan[] = tokenize(text), tokenIds?: TokenIds): Array<PhraseMatch<P>> {
    const out: Array<PhraseMatch<P>> = [];
    // Without ids, the tokens are whole Tokens (the first signature): number them here.
    tokenIds ??= this.tokenIds(tokens as readonly Token[]);
    const { ids, corrected, termStarts } = tokenIds;
    const firstWords = this.firstWords;
    let next = 0; // the first token after the last match
    for (let k = 0; k < termStarts.length; k++) {
      const i = termStarts[k]!;
      const id = ids[i]!;
      if (i < next || id >= firstWords.length || (corrected[i] === 1 && !this.fuzzy)) continue;
      const node = firstWords[id];
      const found = node ? this.longestFrom(text, tokens, tokenIds, i, node) : undefined;
      if (found) {
        out.push(found);
        next = found.endToken;
      }
    }
    return out;
  }

  private longestFrom(
    text: string,
    tokens: readonly TokenSpan[],
    tokenIds: TokenIds,
    first: number,
    start: TrieNode<P>,
  ): PhraseMatch<P> | undefined {
    const { ids, corrected } = tokenIds;
    let node = start;
    let fuzzy = corrected[first] === 1;
    let best: PhraseMatch<P> | undefined;
    for (let j = first; ; ) {
      for (const term of node.terms) {
        if (term.caseSensitive && !sameCase(text, tokens, first, j + 1, term.term)) continue;
        best = {
          start: tokens[first]!.start,
          end: tokens[j]!.end,
          firstToken: first,
          endToken: j + 1,
          payload: term.payload,
          fuzzy,
        };
        break;
      }
      j++;
      if (j >= tokens.length || node.next.size === 0) break;
      const id = ids[j]!;
      if (id < 0 || (corrected[j] === 1 && !this.fuzzy)) break;
      if (!joinedBySpace(text, tokens[j - 1]!.end, tokens[j]!.start)) break;
      const next = node.next.get(id);
      if (!next) break;
      if (corrected[j] === 1) fuzzy = true;
      node = next;
    }
    return best;
  }
}

function sameCase(text: string, tokens: readonly TokenSpan[], from: number, to: number, term: string): boolean {
  let written = '';
  for (let k = from; k < to; k++) written += text.slice(tokens[k]!.start, tokens[k]!.end);
  return written === term.replace(/[\s-]/g, '');
}
