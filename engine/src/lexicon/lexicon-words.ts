// How lexicon words are numbered and found in a note: WordIds numbers every lexicon's words once (shared by all
// matchers), its hash table is read straight from a note's characters, and LexiconWords holds the note's tokens that
// are lexicon words, as parallel arrays, with the words each matcher may begin a term at.
import type { TokenSpan } from './tokens.ts';
import { hashChars, WordTable } from './word-table.ts';

/** Numbers for lexicon words; filled while lexicons are built, read-only afterwards. */
export class WordIds {
  private readonly ids = new Map<string, number>();
  /**
   * The words by id, looked up straight from a note's text without cutting a token out as a string. Built on first
   * lookup, dropped when a word is registered.
   */
  private table: WordTable | undefined;
  private byId: string[] = [];
  /** Per word id, bit k set when the word begins a term of matcher k numbering its words here. */
  private beginsTermMasks = new Int32Array(0);
  /** How many matchers number their words here: each has a bit in beginsTermMasks. */
  private matcherCount = 0;

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
    return (this.table ??= this.buildTable()).find(text, start, end, hash);
  }

  private buildTable(): WordTable {
    const table = new WordTable(16, WORD_IDS_FILL);
    for (const word of this.byId) table.add(word);
    return table;
  }

  get(word: string): number | undefined {
    return this.ids.get(word);
  }

  /** A matcher's number (its bit in beginsTermMask), for a matcher numbering its words here. */
  addMatcher(): number {
    if (this.matcherCount === MAX_MATCHERS) throw new Error(`more than ${MAX_MATCHERS} matchers share word ids`);
    return this.matcherCount++;
  }

  /** How many matchers have been added: every matcher number is below it. */
  get matchers(): number {
    return this.matcherCount;
  }

  markBeginsTerm(id: number, matcher: number): void {
    if (id >= this.beginsTermMasks.length) {
      const masks = new Int32Array(Math.max(this.ids.size, 2 * this.beginsTermMasks.length));
      masks.set(this.beginsTermMasks);
      this.beginsTermMasks = masks;
    }
    this.beginsTermMasks[id]! |= 1 << matcher;
  }

  /** Bit k set when the word with this id (not -1) begins a term of matcher k; 0 when it begins none. */
  beginsTermMask(id: number): number {
    return id < this.beginsTermMasks.length ? this.beginsTermMasks[id]! : 0;
  }

  /** How many words are numbered: every id is below it. */
  get size(): number {
    return this.ids.size;
  }

  words(): IterableIterator<string> {
    return this.ids.keys();
  }
}

/** How full the word table may be: at most half, so a token that is no word mostly meets an empty slot at once. */
const WORD_IDS_FILL = 0.5;

/** Matchers sharing one WordIds: each has a bit of an Int32Array entry. */
const MAX_MATCHERS = 31;

/**
 * A note's lexicon words: the tokens that are a word of some lexicon (as written, or through a misspelling
 * correction), in note order, as parallel arrays of small integers. The other tokens (about half) are left out:
 * no phrase runs through one, and a matcher needs no flag to see one between two kept words, since the characters
 * between those are then not all spaces and hyphens (joinedBySpace).
 */
export interface LexiconWords {
  /** Where each word lies in the note. */
  starts: readonly number[];
  ends: readonly number[];
  /** Shared word ids. */
  ids: readonly number[];
  /** 1 where the id came from a misspelling correction, else 0. */
  corrected: readonly number[];
  /**
   * By matcher number (WordIds.addMatcher), the ascending indices of the words that begin one of its terms: each
   * matcher visits only its own, a fraction of the note's words, rather than every word any matcher could start at.
   */
  termStarts: ReadonlyArray<readonly number[]>;
}

/**
 * The LexiconWords of a note's tokens, given each token's word id (-1: no lexicon word) and whether it came from a
 * correction (1) or not (0). The matchers that use the termStarts must all be built before.
 */
export function lexiconWordsOf(
  tokens: readonly TokenSpan[],
  ids: readonly number[],
  corrected: readonly number[],
  wordIds: WordIds,
): LexiconWords {
  const words = { starts: [] as number[], ends: [] as number[], ids: [] as number[], corrected: [] as number[] };
  const termStarts = emptyTermStarts(wordIds);
  for (let i = 0; i < tokens.length; i++) {
    const id = ids[i]!;
    if (id < 0) continue;
    addTermStart(termStarts, wordIds.beginsTermMask(id), words.ids.length);
    words.starts.push(tokens[i]!.start);
    words.ends.push(tokens[i]!.end);
    words.ids.push(id);
    words.corrected.push(corrected[i]!);
  }
  return { ...words, termStarts };
}

/** termStarts for LexiconWords, one empty list per matcher over wordIds. */
export function emptyTermStarts(wordIds: WordIds): number[][] {
  // A plain loop: Array.from with a map function showed as 0.5 % of the whole pipeline's profile, once per note.
  const lists: number[][] = [];
  for (let k = 0; k < wordIds.matchers; k++) lists.push([]);
  return lists;
}

/** Adds word to the termStarts of each matcher with a bit in mask (WordIds.beginsTermMask of its id). */
export function addTermStart(termStarts: number[][], mask: number, word: number): void {
  for (let matcher = 0, rest = mask; rest !== 0; matcher++, rest >>>= 1) {
    if ((rest & 1) !== 0) termStarts[matcher]!.push(word);
  }
}
