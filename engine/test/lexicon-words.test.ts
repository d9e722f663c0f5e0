// A note's lexicon words are kept as parallel arrays of only the tokens that are lexicon words (LexiconWords), and
// unknown tokens' corrections are remembered in a memo read from the note's characters. Checked here: the phrase
// matcher over LexiconWords against a brute-force matcher over every token, noteWords' character scan against
// tokenize + noteTokenIds on seeded random text, and the memo's lookups and bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FuzzyIndex,
  histologyMatcher,
  noteTokenIds,
  noteWords,
  PhraseMatcher,
  siteMatcher,
  treatmentMatcher,
  WordIds,
  type LexiconTerm,
  type PhraseMatch,
} from '../src/lexicon/index.ts';
import { NOT_REMEMBERED, TokenMemo } from '../src/lexicon/token-memo.ts';
import { joinedBySpace, tokenize, type Token } from '../src/lexicon/tokens.ts';
import { randomPieces, seededRandom } from './random-pieces.ts';

const CASES = 1500;

const TERMS: Array<LexiconTerm<string>> = [
  { term: 'breast', payload: 'breast' },
  { term: 'left breast', payload: 'left breast' },
  { term: 'upper outer quadrant', payload: 'uoq' },
  { term: 'upper outer', payload: 'upper outer' },
  { term: 'UOQ', payload: 'UOQ', caseSensitive: true },
  { term: 'CLL/SLL', payload: 'CLL/SLL', caseSensitive: true },
  { term: 'cll', payload: 'cll' },
  { term: 'AC-T', payload: 'AC-T', caseSensitive: true },
  { term: 'ER+', payload: 'ER+', caseSensitive: true },
  { term: 'small cell lung', payload: 'scl' },
  { term: 'small cell', payload: 'sc' },
];
const PIECES = [
  'breast',
  'Breast',
  'left',
  'LEFT',
  'upper',
  'outer',
  'quadrant',
  'UOQ',
  'uoq',
  'Uoq',
  'CLL',
  'cll',
  'SLL',
  'AC',
  'T',
  'ER',
  'er',
  'small',
  'cell',
  'lung',
  'xyz',
  'the',
  '/',
  '+',
  '-',
  ' ',
  '  ',
  '\n',
  ',',
  '.',
];

/** The longest term spelt by tokens from `first` on (words joined by space, case-sensitive terms as written). */
function longestAt(
  text: string,
  tokens: readonly Token[],
  first: number,
): { end: number; payload: string } | undefined {
  let best: { end: number; payload: string } | undefined;
  for (const term of TERMS) {
    const words = tokenize(term.term);
    const end = first + words.length;
    if (end > tokens.length || (best && end <= best.end)) continue;
    let spelt = true;
    for (let k = 0; k < words.length && spelt; k++) {
      const token = tokens[first + k]!;
      spelt =
        token.norm === words[k]!.norm && (k === 0 || joinedBySpace(text, tokens[first + k - 1]!.end, token.start));
    }
    const written = tokens
      .slice(first, end)
      .map((t) => text.slice(t.start, t.end))
      .join('');
    if (spelt && (!term.caseSensitive || written === term.term.replace(/[\s-]/g, '')))
      best = { end, payload: term.payload };
  }
  return best;
}

/** Non-overlapping longest matches, left to right, trying every token: what the matcher must find. */
function bruteForce(text: string): string[] {
  const tokens = tokenize(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const found = longestAt(text, tokens, i);
    if (!found) continue;
    out.push(`${tokens[i]!.start}-${tokens[found.end - 1]!.end} ${found.payload}`);
    i = found.end - 1;
  }
  return out;
}

test('the phrase matcher over lexicon words finds what trying every token finds', () => {
  const matcher = new PhraseMatcher(TERMS, { fuzzy: false });
  const random = seededRandom(20261129);
  for (let c = 0; c < CASES; c++) {
    const text = randomPieces(PIECES, random, 1, 14, 0.6);
    const found = matcher.match(text).map((m) => `${m.start}-${m.end} ${m.payload}`);
    assert.deepEqual(found, bruteForce(text), JSON.stringify(text));
  }
});

test('matchers sharing word ids each walk only the words that begin their own terms', () => {
  const wordIds = new WordIds();
  const sites = new PhraseMatcher(TERMS.slice(0, 5), { fuzzy: false, wordIds });
  const others = new PhraseMatcher(TERMS.slice(5), { fuzzy: false, wordIds });
  const random = seededRandom(31);
  for (let c = 0; c < CASES; c++) {
    const text = randomPieces(PIECES, random, 1, 14, 0.6);
    // The words numbered once (here by one matcher) serve both, each finding only its own terms.
    const words = sites.wordsOf(tokenize(text));
    assert.equal(words.termStarts.length, 2);
    for (const matcher of [sites, others]) {
      const alone = new PhraseMatcher(matcher === sites ? TERMS.slice(0, 5) : TERMS.slice(5), { fuzzy: false });
      const spans = (found: Array<PhraseMatch<string>>) => found.map((m) => `${m.start}-${m.end} ${m.payload}`);
      assert.deepEqual(spans(matcher.match(text, words)), spans(alone.match(text)), JSON.stringify(text));
    }
  }
});

test("noteWords' character scan keeps the lexicon words tokenize + noteTokenIds keep, on random text", () => {
  const pieces = [
    'Invasive',
    'ductal',
    'carcinoma',
    'carcinma',
    'adenocarinoma',
    'lumpectomey',
    'pancraetic',
    'LEFT',
    'breast',
    'lvier',
    'patient',
    'history',
    'zzqqxx',
    'Résection',
    'côlon',
    '×',
    'ER',
    '+',
    '/',
    '-',
    ' ',
    '\n',
    ',',
    '3',
    'x6',
  ];
  const random = seededRandom(7);
  for (let c = 0; c < CASES; c++) {
    const text = randomPieces(pieces, random, 0, 12, 0.7);
    assert.deepEqual(noteWords(text), noteTokenIds(tokenize(text)), JSON.stringify(text));
  }
});

test('the token memo answers from the note characters and empties itself when full', () => {
  const memo = new TokenMemo(2);
  const text = 'the pancraetic and lvier';
  assert.equal(memo.get(text, 4, 14), NOT_REMEMBERED);
  memo.set('pancraetic', 7);
  memo.set('lvier', -1);
  assert.equal(memo.get(text, 4, 14), 7);
  assert.equal(memo.get(text, 19, 24), -1);
  assert.equal(memo.get(text, 4, 13), NOT_REMEMBERED, 'a prefix is another word');
  memo.set('and', 3);
  assert.equal(memo.size, 1, 'a full memo starts afresh');
  assert.equal(memo.get(text, 4, 14), NOT_REMEMBERED);
  assert.equal(memo.get(text, 15, 18), 3);
  // A memo grows its table as words come: many more words than its first slots are all found, no other word is.
  const large = new TokenMemo(10_000);
  const words = Array.from({ length: 5000 }, (_, k) => `w${k.toString(36)}x`);
  words.forEach((word, k) => large.set(word, k));
  words.forEach((word, k) => assert.equal(large.get(` ${word} `, 1, word.length + 1), k));
  assert.equal(large.get('wzzzzx', 0, 6), NOT_REMEMBERED);
});

test('a misspelling the fuzzy index corrects is never turned away by its cheap mayCorrect test', () => {
  const words = [...new Set([...siteMatcher().words(), ...histologyMatcher().words(), ...treatmentMatcher().words()])];
  const index = new FuzzyIndex(words, new Set());
  const random = seededRandom(17);
  const letter = () => String.fromCharCode(97 + Math.floor(random() * 26));
  let corrected = 0;
  for (let c = 0; c < 20_000; c++) {
    const word = words[Math.floor(random() * words.length)]!;
    // One or two edits past the first three letters (which must agree): substitute, insert, delete, transpose.
    let token = word;
    for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits--) {
      const at = 3 + Math.floor(random() * Math.max(1, token.length - 3));
      const kind = Math.floor(random() * 4);
      if (kind === 0) token = token.slice(0, at) + letter() + token.slice(at + 1);
      else if (kind === 1) token = token.slice(0, at) + letter() + token.slice(at);
      else if (kind === 2) token = token.slice(0, at) + token.slice(at + 1);
      else token = token.slice(0, at) + token.slice(at + 1, at + 2) + token.slice(at, at + 1) + token.slice(at + 2);
    }
    if (index.correct(token) === undefined) continue;
    corrected++;
    assert.ok(index.mayCorrect(` ${token} `, 1, token.length + 1), `${token} (from ${word})`);
  }
  assert.ok(corrected > 1000, `only ${corrected} misspellings were corrected`);
});
