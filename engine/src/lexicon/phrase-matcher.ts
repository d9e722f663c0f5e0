// Finds lexicon phrases in a note in one pass over its word tokens: a token trie, longest match first, with the
// misspelling tolerance of fuzzy.ts applied per token (each distinct unknown token is corrected at most once a call).
import { FuzzyIndex } from './fuzzy.ts';
import { joinedBySpace, tokenize, type Token } from './tokens.ts';

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

interface TrieNode<P> {
  next: Map<string, TrieNode<P>>;
  terms: Array<LexiconTerm<P> & { tokens: string[] }>;
}

export interface PhraseMatcherOptions {
  /** Lower-case words never corrected by misspelling tolerance (common English and clinical words). */
  knownWords?: ReadonlySet<string>;
  fuzzy?: boolean;
}

export class PhraseMatcher<P> {
  private readonly root: TrieNode<P> = { next: new Map(), terms: [] };
  private readonly fuzzyIndex: FuzzyIndex | undefined;
  private readonly vocabulary = new Set<string>();

  constructor(terms: ReadonlyArray<LexiconTerm<P>>, options: PhraseMatcherOptions = {}) {
    for (const term of terms) {
      const tokens = tokenize(term.term).map((t) => t.norm);
      if (tokens.length === 0) continue;
      let node = this.root;
      for (const token of tokens) {
        this.vocabulary.add(token);
        let child = node.next.get(token);
        if (!child) {
          child = { next: new Map(), terms: [] };
          node.next.set(token, child);
        }
        node = child;
      }
      node.terms.push({ ...term, tokens: tokenize(term.term).map((t) => t.norm) });
    }
    this.fuzzyIndex =
      options.fuzzy === false ? undefined : new FuzzyIndex(this.vocabulary, options.knownWords ?? new Set());
  }

  /** The words of this lexicon's terms: a fuzzy index over several lexicons is built from their union. */
  words(): ReadonlySet<string> {
    return this.vocabulary;
  }

  /**
   * Non-overlapping matches, longest first at each position, left to right. `corrected` gives, per token, the
   * lexicon word a misspelled token stands for (see canonicalTokens); without it this matcher corrects tokens itself.
   */
  match(
    text: string,
    tokens: readonly Token[] = tokenize(text),
    corrected?: ReadonlyArray<string | undefined>,
  ): Array<PhraseMatch<P>> {
    const own = new Map<string, string | undefined>();
    const fuzzyIndex = this.fuzzyIndex;
    const canonical = (norm: string, index: number): string | undefined => {
      if (this.vocabulary.has(norm)) return norm;
      if (!fuzzyIndex) return undefined;
      if (corrected) return corrected[index];
      if (own.has(norm)) return own.get(norm);
      const word = fuzzyIndex.correct(norm);
      own.set(norm, word);
      return word;
    };
    const out: Array<PhraseMatch<P>> = [];
    let i = 0;
    while (i < tokens.length) {
      const found = this.longestAt(text, tokens, i, canonical);
      if (found) {
        out.push(found);
        i = found.endToken;
      } else {
        i++;
      }
    }
    return out;
  }

  private longestAt(
    text: string,
    tokens: readonly Token[],
    first: number,
    canonical: (norm: string, index: number) => string | undefined,
  ): PhraseMatch<P> | undefined {
    // Most tokens start no phrase: one map lookup decides, before any misspelling tolerance runs.
    const head = tokens[first]!;
    let node: TrieNode<P> | undefined = this.root.next.get(head.norm);
    let fuzzy = false;
    if (!node) {
      const key = canonical(head.norm, first);
      if (key === undefined || key === head.norm) return undefined;
      node = this.root.next.get(key);
      if (!node) return undefined;
      fuzzy = true;
    }
    let best: PhraseMatch<P> | undefined;
    for (let j = first; ; ) {
      for (const term of node.terms) {
        if (term.caseSensitive && !sameCase(text, tokens, first, j + 1, term.term)) continue;
        best = { start: head.start, end: tokens[j]!.end, firstToken: first, endToken: j + 1, payload: term.payload, fuzzy };
        break;
      }
      j++;
      if (j >= tokens.length || node.next.size === 0) break;
      const token = tokens[j]!;
      if (!this.connected(text, tokens[j - 1]!, token)) break;
      let next = node.next.get(token.norm);
      if (!next) {
        const key = canonical(token.norm, j);
        if (key === undefined || key === token.norm) break;
        next = node.next.get(key);
        if (!next) break;
        fuzzy = true;
      }
      node = next;
    }
    return best;
  }

  /** Tokens of one phrase are separated by whitespace or hyphens, or are a "/" or "+" next to a word. */
  private connected(text: string, previous: Token, token: Token): boolean {
    return joinedBySpace(text, previous.end, token.start);
  }
}

function sameCase(text: string, tokens: readonly Token[], from: number, to: number, term: string): boolean {
  const written = tokens
    .slice(from, to)
    .map((t) => text.slice(t.start, t.end))
    .join('');
  return written === term.replace(/[\s\-]/g, '');
}
