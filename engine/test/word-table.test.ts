// WordTable (word-table.ts) looks words up straight from a text's characters, through a bit per hash value, a slot
// per word and one flat array of characters. Checked against a Map of the same words on seeded random words over
// a small alphabet (many near misses, prefixes and hash-bit collisions), through its growth and after clear().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashChars, WordTable } from '../src/lexicon/word-table.ts';
import { seededRandom } from './random-pieces.ts';

const LETTERS = ['a', 'b', 'c', 'ö', 'ł', '1'];

function randomWord(random: () => number): string {
  let word = '';
  for (let n = 1 + Math.floor(random() * 7); n > 0; n--) word += LETTERS[Math.floor(random() * LETTERS.length)];
  return word;
}

test('the word table finds in a text exactly the words a Map of them holds, as it grows and after clear()', () => {
  const random = seededRandom(2026);
  const table = new WordTable(4, 0.5);
  for (let round = 0; round < 3; round++) {
    const indices = new Map<string, number>();
    for (let n = 0; n < 600; n++) {
      const word = randomWord(random);
      if (!indices.has(word)) indices.set(word, table.add(word));
    }
    assert.equal(table.size, indices.size);
    for (let c = 0; c < 5000; c++) {
      const word = randomWord(random);
      const text = `x ${word}.`;
      const found = table.find(text, 2, 2 + word.length, hashChars(text, 2, 2 + word.length));
      assert.equal(found, indices.get(word) ?? -1, word);
    }
    table.clear();
    assert.equal(table.size, 0);
    assert.equal(table.find('abc', 0, 3, hashChars('abc', 0, 3)), -1);
  }
});
