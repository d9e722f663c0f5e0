// The text of every token, computed once per tokenizer, in the forms constrained decoding walks: a compact trie
// (typed arrays) for states between JSON tokens, and the "plain" tokens (no quote, backslash or control character)
// sorted by length, which are all allowed inside a JSON string that has room for them.
import type { ChatTokenizer } from '../tokenizer.ts';

export class TokenVocabulary {
  /** Trie nodes: first child, next sibling, the character on the edge into the node, and token ids ending there. */
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly edge: Uint16Array;
  readonly idsStart: Int32Array;
  readonly idsEnd: Int32Array;
  /** Token ids ordered by their text (ids of one node are idsStart..idsEnd of this array). */
  readonly sortedIds: Int32Array;
  /** Plain tokens by ascending length; plainLengths[i] is the length of plainIds[i]. */
  readonly plainIds: Int32Array;
  readonly plainLengths: Int32Array;
  /** Tokens that contain a quote, backslash or control character: checked one by one inside strings. */
  readonly otherIds: Int32Array;

  /**
   * `texts[id]`: the text a token adds to the output; undefined (or empty) for tokens that constrained output may
   * never contain: special tokens, and byte tokens that are not a whole UTF-8 character.
   */
  constructor(readonly texts: readonly (string | undefined)[]) {
    const ids: number[] = [];
    for (let id = 0; id < texts.length; id++) if (texts[id]) ids.push(id);
    ids.sort((a, b) => compare(texts[a] ?? '', texts[b] ?? '') || a - b);
    this.sortedIds = Int32Array.from(ids);
    const plain = ids.filter((id) => isPlain(texts[id] ?? ''));
    plain.sort((a, b) => (texts[a]?.length ?? 0) - (texts[b]?.length ?? 0) || a - b);
    this.plainIds = Int32Array.from(plain);
    this.plainLengths = Int32Array.from(plain, (id) => texts[id]?.length ?? 0);
    this.otherIds = Int32Array.from(ids.filter((id) => !isPlain(texts[id] ?? '')));

    // the trie from the sorted texts: each text shares its path with the previous one up to their common prefix
    const first: number[] = [-1];
    const next: number[] = [-1];
    const edge: number[] = [0];
    const start: number[] = [0];
    const end: number[] = [0];
    const lastChild: number[] = [-1];
    const path: number[] = [0];
    let previous = '';
    ids.forEach((id, position) => {
      const text = texts[id] ?? '';
      let common = 0;
      while (common < text.length && common < previous.length && text[common] === previous[common]) common++;
      path.length = common + 1;
      for (let d = common; d < text.length; d++) {
        const parent = path[d] ?? 0;
        const node = first.length;
        first.push(-1);
        next.push(-1);
        edge.push(text.charCodeAt(d));
        start.push(position);
        end.push(position);
        lastChild.push(-1);
        if ((lastChild[parent] ?? -1) < 0) first[parent] = node;
        else next[lastChild[parent] ?? 0] = node;
        lastChild[parent] = node;
        path.push(node);
      }
      const leaf = path[text.length] ?? 0;
      if (end[leaf] === start[leaf]) start[leaf] = position;
      end[leaf] = position + 1;
      previous = text;
    });
    this.firstChild = Int32Array.from(first);
    this.nextSibling = Int32Array.from(next);
    this.edge = Uint16Array.from(edge);
    this.idsStart = Int32Array.from(start);
    this.idsEnd = Int32Array.from(end);
  }

  get size(): number {
    return this.texts.length;
  }

  /** A token whose whole text is `ch` (a one-character token), if any. */
  singleCharToken(ch: string): number | undefined {
    const id = this.texts.indexOf(ch);
    return id >= 0 ? id : undefined;
  }

  /**
   * Token texts from a tokenizer: each id decoded after an anchor token and the anchor's own text removed, so
   * SentencePiece's "▁" word prefix stays a space (decoding one id alone strips it) and byte-fallback tokens give
   * their character; a text with U+FFFD (a byte that is not a whole character) or an empty one is left out.
   */
  static fromTokenizer(tokenizer: ChatTokenizer): TokenVocabulary {
    const cached = vocabularies.get(tokenizer);
    if (cached) return cached;
    const anchor = tokenizer.encode('a', { addSpecialTokens: false }).at(-1);
    const prefix = anchor === undefined ? '' : tokenizer.decode([anchor]);
    const texts: (string | undefined)[] = [];
    for (let id = 0; id < tokenizer.vocabSize; id++) {
      const full = tokenizer.decode(anchor === undefined ? [id] : [anchor, id]);
      const text = full.startsWith(prefix) ? full.slice(prefix.length) : undefined;
      texts.push(text && !text.includes('\uFFFD') ? text : undefined);
    }
    const vocabulary = new TokenVocabulary(texts);
    vocabularies.set(tokenizer, vocabulary);
    return vocabulary;
  }
}

/** One vocabulary per tokenizer (a memo of a pure function: the tokenizer never changes). */
const vocabularies = new WeakMap<ChatTokenizer, TokenVocabulary>();

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Allowed as is inside a JSON string: no quote, backslash or control character. */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}
