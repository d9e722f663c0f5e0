// Finds lexicon phrases in a note in one pass over its word tokens: a trie over word ids, longest match first, with
// the misspelling tolerance of fuzzy.ts. Words are numbered once (WordIds in lexicon-words.ts, shared by all
// lexicons), so a note's tokens are looked up in one hash table once and every matcher then walks small
// integer-keyed tries.
import { FuzzyIndex } from './fuzzy.ts';
import { lexiconWordsOf, WordIds, type LexiconWords } from './lexicon-words.ts';
import { joinedBySpace, tokenize, type Token } from './tokens.ts';

export interface LexiconTerm<P> {
  /** The phrase as written in the lexicon, e.g. "invasive ductal carcinoma". */
  term: string;
  payload: P;
  /**
   * Abbreviations such as "PR" or "NED" that only count when the note spells them in the same case (or, for terms
   * with small letters such as "p53", in capitals).
   */
  caseSensitive?: boolean;
}

export interface PhraseMatch<P> {
  start: number;
  end: number;
  /** Index of the first and one past the last lexicon word of the match (in LexiconWords). */
  firstWord: number;
  endWord: number;
  payload: P;
  /** True when a token was matched through misspelling tolerance. */
  fuzzy: boolean;
}

/** The trie as terms are added to it; flattened into a Trie once every term is in. */
interface TrieNode<P> {
  next: Map<number, TrieNode<P>>;
  terms: Array<LexiconTerm<P>>;
}

/**
 * The trie in flat arrays, nodes numbered 0.. in depth-first order: a note walks it with a few reads of small
 * integer arrays per token instead of chasing node objects and Map lookups, which miss the cache once the other
 * extractors have run. Node n's children are childWord/childNode[childFrom[n] .. childFrom[n + 1]) and its terms
 * terms[termFrom[n] .. termFrom[n + 1]).
 */
class Trie<P> {
  /** Node + 1 of the child of the root for each word id; 0 when no term begins with that word. */
  readonly firstNode: Int32Array;
  private readonly childFrom: number[] = [];
  private readonly childWord: number[] = [];
  private readonly childNode: number[] = [];
  private readonly termFrom: number[] = [];
  private readonly terms: Array<LexiconTerm<P>> = [];
  /**
   * Per term, how a case-sensitive term must be written in the note, its spaces and hyphens left out (as the
   * tokens drop them); undefined for a term matched in any case.
   */
  private readonly writtenForms: Array<string | undefined> = [];
  /**
   * Per case-sensitive term with small letters ("p53", "dMMR"), its written form in capitals, as a note written in
   * capitals spells it ("P53"); undefined for other terms. Capitals do not make such a term a common word, whereas
   * small letters do ("MET" → "met").
   */
  private readonly capitalForms: Array<string | undefined> = [];

  constructor(root: TrieNode<P>, wordCount: number) {
    this.firstNode = new Int32Array(wordCount);
    for (const [id, node] of root.next) this.firstNode[id] = this.add(node) + 1;
    this.childFrom.push(this.childWord.length);
    this.termFrom.push(this.terms.length);
  }

  /** Numbers node and its subtree, returning node's number. */
  private add(node: TrieNode<P>): number {
    const numbered = this.termFrom.length;
    this.termFrom.push(this.terms.length);
    this.terms.push(...node.terms);
    for (const term of node.terms) {
      const written = term.caseSensitive ? term.term.replace(/[\s-]/g, '') : undefined;
      this.writtenForms.push(written);
      this.capitalForms.push(
        written !== undefined && written.toUpperCase() !== written ? written.toUpperCase() : undefined,
      );
    }
    // Children's slots are reserved first, so that a node's children are contiguous whatever their subtrees hold.
    const children = [...node.next];
    const first = this.childWord.length;
    this.childFrom.push(first);
    for (const [id] of children) {
      this.childWord.push(id);
      this.childNode.push(-1);
    }
    children.forEach(([, child], k) => (this.childNode[first + k] = this.add(child)));
    return numbered;
  }

  hasChildren(node: number): boolean {
    return this.childFrom[node + 1]! > this.childFrom[node]!;
  }

  /** The child of node along word id, or -1. */
  child(node: number, id: number): number {
    const end = this.childFrom[node + 1]!;
    for (let k = this.childFrom[node]!; k < end; k++) if (this.childWord[k] === id) return this.childNode[k]!;
    return -1;
  }

  termCount(node: number): number {
    return this.termFrom[node + 1]! - this.termFrom[node]!;
  }

  term(node: number, k: number): LexiconTerm<P> {
    return this.terms[this.termFrom[node]! + k]!;
  }

  /** The written form of term k of node (see writtenForms). */
  writtenForm(node: number, k: number): string | undefined {
    return this.writtenForms[this.termFrom[node]! + k];
  }

  /** The written form in capitals of term k of node (see capitalForms). */
  capitalForm(node: number, k: number): string | undefined {
    return this.capitalForms[this.termFrom[node]! + k];
  }
}

export interface PhraseMatcherOptions {
  /** Lower-case words never corrected by misspelling tolerance (common English and clinical words). */
  knownWords?: ReadonlySet<string>;
  fuzzy?: boolean;
  /** Shared word numbering; a matcher without one numbers its own words. */
  wordIds?: WordIds;
}

export class PhraseMatcher<P> {
  private readonly vocabulary = new Set<string>();
  private readonly wordIds: WordIds;
  private readonly fuzzy: boolean;
  private readonly knownWords: ReadonlySet<string>;
  private fuzzyIndex: FuzzyIndex | undefined;
  /**
   * The terms' words as a trie. Its first level is read by word id; ids numbered after this matcher was built (by
   * later lexicons) are past its end and begin none of its terms.
   */
  private readonly trie: Trie<P>;
  /** This matcher's number among those sharing its word ids: which termStarts of LexiconWords are its own. */
  private readonly matcherNumber: number;

  constructor(terms: ReadonlyArray<LexiconTerm<P>>, options: PhraseMatcherOptions = {}) {
    this.wordIds = options.wordIds ?? new WordIds();
    this.fuzzy = options.fuzzy !== false;
    this.knownWords = options.knownWords ?? new Set();
    const root: TrieNode<P> = { next: new Map(), terms: [] };
    for (const term of terms) {
      const words = tokenize(term.term).map((t) => t.norm);
      if (words.length === 0) continue;
      let node = root;
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
    this.trie = new Trie(root, this.wordIds.size);
    this.matcherNumber = this.wordIds.addMatcher();
    for (const id of root.next.keys()) this.wordIds.markBeginsTerm(id, this.matcherNumber);
  }

  /** The words of this lexicon's terms: a fuzzy index over several lexicons is built from their union. */
  words(): ReadonlySet<string> {
    return this.vocabulary;
  }

  /** The lexicon words of tokens, correcting misspellings against this matcher's own words (without shared ids). */
  wordsOf(tokens: readonly Token[]): LexiconWords {
    const ids = new Array<number>(tokens.length).fill(-1);
    const corrected = new Array<number>(tokens.length).fill(0);
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
    return lexiconWordsOf(tokens, ids, corrected, this.wordIds);
  }

  /** Non-overlapping matches, longest first at each position, left to right. */
  match(text: string, tokens?: readonly Token[]): Array<PhraseMatch<P>>;
  /** The same, over the note's lexicon words already numbered (by noteWords, for all lexicons at once). */
  match(text: string, words: LexiconWords): Array<PhraseMatch<P>>;
  match(text: string, tokensOrWords: readonly Token[] | LexiconWords = tokenize(text)): Array<PhraseMatch<P>> {
    const out: Array<PhraseMatch<P>> = [];
    const words = 'termStarts' in tokensOrWords ? tokensOrWords : this.wordsOf(tokensOrWords);
    const { ids, corrected } = words;
    const starts = words.termStarts[this.matcherNumber]!;
    const firstNode = this.trie.firstNode;
    let next = 0; // the first word after the last match
    for (let k = 0; k < starts.length; k++) {
      const i = starts[k]!;
      if (i < next || (corrected[i] === 1 && !this.fuzzy)) continue;
      // The word begins one of this matcher's terms, so it has a node.
      const found = this.longestFrom(text, words, i, firstNode[ids[i]!]! - 1);
      if (found) {
        out.push(found);
        next = found.endWord;
      }
    }
    return out;
  }

  private longestFrom(text: string, words: LexiconWords, first: number, start: number): PhraseMatch<P> | undefined {
    const { starts, ends, ids, corrected } = words;
    const trie = this.trie;
    let node = start;
    let fuzzy = corrected[first] === 1;
    // The longest match so far, as its term, end word and fuzziness: one object is made at the end, not one per
    // term passed on the way.
    let bestTerm: LexiconTerm<P> | undefined;
    let bestEnd = 0;
    let bestFuzzy = false;
    for (let j = first; ; ) {
      const term = this.termAt(text, words, first, j + 1, node);
      if (term) {
        bestTerm = term;
        bestEnd = j + 1;
        bestFuzzy = fuzzy;
      }
      j++;
      if (j >= ids.length || !trie.hasChildren(node)) break;
      if (corrected[j] === 1 && !this.fuzzy) break;
      // Also ends the phrase where a token that is no lexicon word lies between.
      if (!joinedBySpace(text, ends[j - 1]!, starts[j]!)) break;
      const child = trie.child(node, ids[j]!);
      if (child < 0) break;
      if (corrected[j] === 1) fuzzy = true;
      node = child;
    }
    if (!bestTerm) return undefined;
    return {
      start: starts[first]!,
      end: ends[bestEnd - 1]!,
      firstWord: first,
      endWord: bestEnd,
      payload: bestTerm.payload,
      fuzzy: bestFuzzy,
    };
  }

  /**
   * The first term ending at node that words [from, to) spell (case-sensitive terms in the same case or in
   * capitals), if any.
   */
  private termAt(
    text: string,
    words: LexiconWords,
    from: number,
    to: number,
    node: number,
  ): LexiconTerm<P> | undefined {
    const count = this.trie.termCount(node);
    for (let k = 0; k < count; k++) {
      const written = this.trie.writtenForm(node, k);
      if (written === undefined || writtenAs(text, words, from, to, written)) return this.trie.term(node, k);
      const capitals = this.trie.capitalForm(node, k);
      if (capitals !== undefined && writtenAs(text, words, from, to, capitals)) return this.trie.term(node, k);
    }
    return undefined;
  }
}

/** Whether words [from, to) of the note, put together, are exactly `written`: compared in place, nothing cut out. */
function writtenAs(text: string, words: LexiconWords, from: number, to: number, written: string): boolean {
  let at = 0;
  for (let k = from; k < to; k++) {
    const end = words.ends[k]!;
    for (let c = words.starts[k]!; c < end; c++) if (text.charCodeAt(c) !== written.charCodeAt(at++)) return false;
  }
  return at === written.length;
}
