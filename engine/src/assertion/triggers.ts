// Finds ConText triggers in one sentence: a single scan over its tokens, each looked up in the rule data's token
// trie (leftmost-longest, so a pseudo-trigger such as "no change" hides the "no" inside it). Tokens are looked up
// by a hash of their lower case, computed while scanning: no string is made for a token of plain ASCII. The
// per-character helpers live here, beside the loops that call them: a call into another module goes through an
// export getter when the engine runs unbundled (tsx, tests).
import type { ContextRule, ContextRules, PhraseNode } from './rules.ts';

export interface TriggerMatch {
  start: number;
  end: number;
  /** Its rules that assert a category; none for a pseudo-trigger or a pure terminator. */
  cueRules: readonly ContextRule[];
  /** Its terminate rules. */
  terminateRules: readonly ContextRule[];
  /** Index in the sentence's `wordStarts` of its first word: the number of words that start before it. */
  startWord: number;
  /** Index in `wordStarts` of the first word after it: the number of words that start before its end. */
  endWord: number;
}

/** Where `findTriggers` puts what it finds: the triggers by use, and the offsets where words start. */
export interface TriggerSink {
  /** Triggers with a rule that asserts something: pseudo-triggers and pure terminators left out. */
  cues: TriggerMatch[];
  /** Triggers with a terminate rule. */
  terminators: TriggerMatch[];
  wordStarts: number[];
}

/**
 * Triggers of text[start, end) in order, without overlaps, put straight into the sink's lists by use (no list of
 * all triggers to sort afterwards); the offsets where its words start go to its `wordStarts`.
 */
export function findTriggers(rules: ContextRules, text: string, start: number, end: number, sink: TriggerSink): void {
  const wordStarts = sink.wordStarts;
  const cursor = sharedCursor;
  cursor.text = text;
  cursor.end = end;
  const walk = sharedWalk;
  const firstTokens = rules.firstTokenSlots;
  // The token scan is inline (it runs over every character of every sentence with a mention); the trie is only
  // walked from the few tokens whose hash slot some phrase's first token shares.
  let i = start;
  while (i < end) {
    let code = text.charCodeAt(i);
    let kind = charKind(code);
    if (kind === BLANK) {
      i++;
      continue;
    }
    const tokenStart = i;
    const word = kind >= DIGIT;
    let number = false;
    let ascii = true;
    let hash = TOKEN_HASH_SEED;
    if (word) {
      // A word, hashed in lower case as it is read; its kinds together tell a number and a word past ASCII.
      // `code | 32` is that lower case without a test per character: it lowers an ASCII capital and keeps
      // lower-case letters and digits (bit 5 already set); a letter past ASCII makes the token non-ASCII, and the
      // hash of such a token is never used.
      let kinds = 0;
      do {
        kinds |= kind;
        hash = Math.imul(hash ^ (code | 32), TOKEN_HASH_PRIME);
        if (++i === end) break;
        code = text.charCodeAt(i);
        kind = charKind(code);
      } while (kind >= DIGIT);
      number = kinds === DIGIT;
      ascii = kinds < OTHER_LETTER;
    } else {
      const pair = (code & 0xfc00) === 0xd800 && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      i += pair ? 2 : 1;
      ascii = code < 0x80;
      hash = Math.imul(hash ^ code, TOKEN_HASH_PRIME);
    }
    const tokenEnd = i;
    // A token past ASCII is always looked up: its lower case is left to the engine. A number may start a
    // "<number>" phrase, or a "<year>" phrase when it has four digits (isYear).
    const candidate =
      !ascii ||
      hasSlot(firstTokens, tokenHashSlot(hash)) ||
      (number && (rules.numberStartsPhrase || (rules.yearStartsPhrase && tokenEnd - tokenStart === 4)));
    let matchEnd = 0;
    if (candidate) {
      cursor.tokenStart = tokenStart;
      cursor.tokenEnd = tokenEnd;
      cursor.hash = hash;
      cursor.ascii = ascii;
      cursor.number = number;
      walk.matchedLength = 0;
      followToken(rules.phrases, cursor, walk, 1);
      if (walk.matchedLength > 0) matchEnd = walk.matchedEnd;
    }
    if (matchEnd > 0) {
      const startWord = wordStarts.length;
      // The words inside the phrase were read by the trie walk; record where each starts.
      let inWord = false;
      for (let k = tokenStart; k < matchEnd; k++) {
        const isWord = charKind(text.charCodeAt(k)) >= DIGIT;
        if (isWord && !inWord) wordStarts.push(k);
        inWord = isWord;
      }
      const phrase = walk.matched!;
      const trigger: TriggerMatch = {
        start: tokenStart,
        end: matchEnd,
        cueRules: phrase.cueRules,
        terminateRules: phrase.terminateRules,
        startWord,
        endWord: wordStarts.length,
      };
      if (phrase.cueRules.length > 0) sink.cues.push(trigger);
      if (phrase.terminateRules.length > 0) sink.terminators.push(trigger);
      i = matchEnd;
    } else if (word) {
      wordStarts.push(tokenStart);
    }
  }
  cursor.text = ''; // The shared cursor keeps no note alive past the scan.
}

/**
 * What a character is to the scan, by a table of every UTF-16 code unit (64 KB, of which a scan of English text
 * touches the first 128 bytes; a smaller table costs a range test per character). The word characters (the note
 * tokenizer's: ASCII letters and digits, Latin-1 and Latin Extended letters) are the kinds from DIGIT up.
 */
const PUNCT = 0;
const BLANK = 1;
const DIGIT = 2;
const LOWER = 4;
const UPPER = 8;
const OTHER_LETTER = 16;
const KIND_TABLE_SIZE = 0x10000;
const CHAR_KINDS = kindTable();

function kindTable(): Uint8Array {
  const kinds = new Uint8Array(KIND_TABLE_SIZE);
  for (let c = 0; c < KIND_TABLE_SIZE; c++) {
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0) kinds[c] = BLANK;
    else if (c >= 48 && c <= 57) kinds[c] = DIGIT;
    else if (c >= 97 && c <= 122) kinds[c] = LOWER;
    else if (c >= 65 && c <= 90) kinds[c] = UPPER;
    else if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) kinds[c] = OTHER_LETTER;
    else kinds[c] = PUNCT;
  }
  return kinds;
}

/** The kind of a code unit (`charCodeAt` within the string: 0 to 0xFFFF). */
function charKind(code: number): number {
  return CHAR_KINDS[code]!;
}

function hasSlot(bits: Uint32Array, slot: number): boolean {
  return ((bits[slot >>> 5]! >>> (slot & 31)) & 1) === 1;
}

/** FNV-1a over a token's lower-case UTF-16 code units, the scan's and the rule compiler's alike. */
const TOKEN_HASH_SEED = 0x811c9dc5 | 0;
const TOKEN_HASH_PRIME = 0x01000193;

/** The hash of a token already in lower case (for the rule compiler). */
export function tokenHash(lowerToken: string): number {
  let hash = TOKEN_HASH_SEED;
  for (let k = 0; k < lowerToken.length; k++) hash = Math.imul(hash ^ lowerToken.charCodeAt(k), TOKEN_HASH_PRIME);
  return hash;
}

/** A token hash folded to an index into a 64K table. */
export function tokenHashSlot(hash: number): number {
  return (hash ^ (hash >>> 16)) & 0xffff;
}

/** The token being looked up: its offsets, and what the scan learnt of it. */
interface Cursor {
  text: string;
  /** End of the sentence: no token runs past it. */
  end: number;
  tokenStart: number;
  tokenEnd: number;
  /** `tokenHash` of the token's lower case, when `ascii`. */
  hash: number;
  /** Only ASCII characters: lower-cased by the hash, compared without a string. */
  ascii: boolean;
  /** Only digits: may follow a "<number>" or "<year>" edge. */
  number: boolean;
}

/**
 * One cursor and one walk serve every scan: a scan runs to its end before the next starts (nothing in it calls
 * out), and made per sentence they cost two allocations that the trie walk, not inlined, keeps from being
 * optimized away.
 */
const sharedCursor: Cursor = { text: '', end: 0, tokenStart: 0, tokenEnd: 0, hash: 0, ascii: true, number: false };

/** The longest phrase (in tokens) that ends on the way down the trie: its length, its end and its node. */
interface Walk {
  matchedLength: number;
  matchedEnd: number;
  matched: PhraseNode | undefined;
}

const sharedWalk: Walk = { matchedLength: 0, matchedEnd: 0, matched: undefined };

/**
 * Follows the trie from `node` through the cursor's token and the tokens after it, keeping the longest phrase
 * that ends on the way; a number token may also follow a "<number>" or "<year>" edge. Moves the cursor.
 */
function followToken(node: PhraseNode, c: Cursor, walk: Walk, depth: number): void {
  const start = c.tokenStart;
  const end = c.tokenEnd;
  const number = c.number;
  follow(childFor(node, c), c, walk, end, depth);
  if (!number) return;
  follow(node.next.get('<number>'), c, walk, end, depth);
  if (isYear(c.text, start, end)) follow(node.next.get('<year>'), c, walk, end, depth);
}

function follow(child: PhraseNode | undefined, c: Cursor, walk: Walk, end: number, depth: number): void {
  if (!child) return;
  if (child.rules && depth > walk.matchedLength) {
    walk.matchedLength = depth;
    walk.matchedEnd = end;
    walk.matched = child;
  }
  if (child.next.size === 0 || !nextToken(c, end)) return;
  followToken(child, c, walk, depth + 1);
}

/** The child of `node` keyed by the cursor's token in lower case. */
function childFor(node: PhraseNode, c: Cursor): PhraseNode | undefined {
  if (c.ascii) {
    const child = node.nextByHash.get(c.hash);
    if (child && isToken(c.text, c.tokenStart, c.tokenEnd, child.token)) return child;
    if (!node.hashClash) return undefined;
  }
  // A token past ASCII (or one whose hash another token of `next` shares) is lower-cased as a string, on its own:
  // a lower-cased copy of the note would be misaligned after an "İ", which grows by a character.
  return node.next.get(c.text.slice(c.tokenStart, c.tokenEnd).toLowerCase());
}

/** text[start, end), of ASCII characters, in lower case equals `lowerToken`. */
function isToken(text: string, start: number, end: number, lowerToken: string): boolean {
  if (end - start !== lowerToken.length) return false;
  for (let k = start; k < end; k++) {
    const code = text.charCodeAt(k);
    if ((code >= 65 && code <= 90 ? code + 32 : code) !== lowerToken.charCodeAt(k - start)) return false;
  }
  return true;
}

/** Moves the cursor to the first token at or after `pos`; false at the sentence end. */
function nextToken(c: Cursor, pos: number): boolean {
  const text = c.text;
  let i = pos;
  while (i < c.end && charKind(text.charCodeAt(i)) === BLANK) i++;
  if (i >= c.end) return false;
  c.tokenStart = i;
  let hash = TOKEN_HASH_SEED;
  let code = text.charCodeAt(i);
  let kind = charKind(code);
  if (kind >= DIGIT) {
    let kinds = 0;
    do {
      kinds |= kind;
      hash = Math.imul(hash ^ (code | 32), TOKEN_HASH_PRIME); // lower case, as in the scan of findTriggers
      if (++i === c.end) break;
      code = text.charCodeAt(i);
      kind = charKind(code);
    } while (kind >= DIGIT);
    c.number = kinds === DIGIT;
    c.ascii = kinds < OTHER_LETTER;
  } else {
    const pair = (code & 0xfc00) === 0xd800 && i + 1 < c.end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
    c.number = false;
    c.ascii = code < 0x80;
    hash = Math.imul(hash ^ code, TOKEN_HASH_PRIME);
  }
  c.tokenEnd = i;
  c.hash = hash;
  return true;
}

/** A year 1950-2049 standing alone: not part of a date ("03/2021", "2021-05") or a decimal. */
function isYear(text: string, start: number, end: number): boolean {
  if (end - start !== 4) return false;
  const year = Number(text.slice(start, end));
  if (!(year >= 1950 && year <= 2049)) return false;
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  return before !== 47 && before !== 45 && before !== 46 && after !== 47 && after !== 45;
}
