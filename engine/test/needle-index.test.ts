import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NeedleIndex } from '../src/text/needle-index.ts';
import { occurrencesOf } from '../src/extract/literal-heads.ts';
import { lowerCaseOf } from '../src/text/lower-case.ts';

/** The definition: every offset where the needle starts, overlapping ones included. */
function searched(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** A deterministic pseudo-random source, so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

test('every needle is found where indexOf finds it, overlapping occurrences included', () => {
  const random = randomSource(7);
  // A small alphabet makes needles recur, overlap and share their first two characters.
  const alphabet = 'ab/ \n-–\u0000';
  const pick = (length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]!).join('');
  for (let round = 0; round < 200; round++) {
    const index = new NeedleIndex();
    const needles = Array.from({ length: 6 }, () => pick(1 + Math.floor(random() * 4)));
    // Two different haystacks, each asked twice: the first round registers the needles (a needle first asked
    // after its haystack was indexed gets no answer), the second is answered from the index for every needle.
    const haystacks = [`${pick(Math.floor(random() * 60))}x`, `${pick(Math.floor(random() * 60))}y`];
    for (const [round, haystack] of [...haystacks, ...haystacks].entries()) {
      for (const needle of needles) {
        const found = index.occurrences(haystack, needle);
        // Needles holding a character past ASCII or a NUL are never indexed.
        const indexable = /^[\x01-\x7f]+$/.test(needle);
        if (round >= 2) assert.equal(found !== undefined, indexable, `${JSON.stringify(needle)} asked again`);
        if (found !== undefined) assert.deepEqual(found, searched(haystack, needle), `${needle} in ${haystack}`);
      }
    }
  }
});

test('a needle is answered from the next haystack on when first asked for after indexing', () => {
  const index = new NeedleIndex();
  assert.deepEqual(index.occurrences('grade 2, grade 3', 'grade'), [0, 9]);
  assert.equal(index.occurrences('grade 2, grade 3', 'of'), undefined, 'the haystack was indexed without "of"');
  assert.deepEqual(index.occurrences('two of six of', 'of'), [4, 11]);
  assert.deepEqual(index.occurrences('two of six of', 'grade'), []);
  // A needle asked for with a new haystack is registered before that haystack is indexed.
  assert.deepEqual(index.occurrences('aaaa', 'aa'), [0, 1, 2]);
  assert.deepEqual(index.occurrences('aaaa', 'a'), undefined);
  assert.deepEqual(index.occurrences('aaaaa', 'a'), [0, 1, 2, 3, 4]);
});

test('needles that are not short ASCII are left to the caller', () => {
  const index = new NeedleIndex();
  for (const needle of ['', '–', 'naïve', 'a\u0000b', 'x'.repeat(33)]) {
    assert.equal(index.occurrences('a – naïve text', needle), undefined, JSON.stringify(needle));
    assert.equal(index.occurrences('another text', needle), undefined, JSON.stringify(needle));
  }
});

test("occurrencesOf gives the same offsets in a note's lower case as in any other string", () => {
  const note = 'Grade 2 of 3; NODE / node; Evidence of nodal disease, 2/15 nodes. Grade';
  const lower = lowerCaseOf(note)!;
  for (const needle of ['grade', 'node', 'of', '/', 'evidence', 'nodal', 'GRADE']) {
    // The first call may register the needle; the later ones are answered from the note's index.
    for (let i = 0; i < 2; i++) assert.deepEqual(occurrencesOf(lower, needle), searched(lower, needle), needle);
    assert.deepEqual(occurrencesOf(note, needle), searched(note, needle), `${needle} in the note as written`);
  }
});

test('characters past ASCII never stand for the ASCII ones they share low bits with', () => {
  const random = randomSource(11);
  // "á" (U+00E1) and "ā" (U+0101) have an ASCII letter's low seven bits ("a", "\u0001"); "/" is a lone needle.
  const alphabet = 'abáā/ ';
  const pick = (length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]!).join('');
  const index = new NeedleIndex();
  const needles = ['a', 'ab', 'ba', 'aba', 'b/a', '/', 'bb'];
  for (let round = 0; round < 100; round++) {
    // Haystacks of every length from none up, so matches that end at the last character are met too.
    const haystack = pick(round);
    for (const needle of needles) {
      const found = index.occurrences(haystack, needle);
      if (round > 0) assert.deepEqual(found, searched(haystack, needle), `${needle} in ${JSON.stringify(haystack)}`);
    }
  }
});
