// Character tests by code answer as their regex class does, for every UTF-16 code unit and past a string's end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { characterClass, isDigit, isWhitespace } from '../src/text/character-class.ts';

const PAST_THE_END = ''.charCodeAt(0);

function assertSameAsClass(tested: (code: number) => boolean, pattern: RegExp): void {
  for (let code = 0; code < 0x10000; code++) {
    assert.equal(tested(code), pattern.test(String.fromCharCode(code)), `U+${code.toString(16)} against ${pattern}`);
  }
}

test("isWhitespace is a regex's \\s for every UTF-16 code unit", () => {
  assertSameAsClass(isWhitespace, /\s/);
  assert.equal(isWhitespace(PAST_THE_END), false);
});

test('isDigit is /[0-9]/ for every UTF-16 code unit', () => {
  assertSameAsClass(isDigit, /[0-9]/);
  assert.equal(isDigit(PAST_THE_END), false);
});

test('a character class answers as its regex, inside ASCII and beyond it', () => {
  for (const pattern of [/[a-z0-9,/\-\s]/, /[iIaxX01234lO]/, /[\d.\sx×X*cmCM]/]) {
    const tested = characterClass(pattern);
    assertSameAsClass(tested, pattern);
    assert.equal(tested(PAST_THE_END), false);
  }
});
