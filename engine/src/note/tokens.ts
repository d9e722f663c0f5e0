// Splits text into word, number and punctuation tokens without building substrings: a token is its offsets.
import { isDigit } from '../text/character-class.ts';
import type { Token } from './types.ts';

export function tokenize(text: string, start = 0, end = text.length): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      const s = i;
      let digits = true;
      while (i < end && isWordChar(text.charCodeAt(i))) {
        if (!isDigit(text.charCodeAt(i))) digits = false;
        i++;
      }
      tokens.push({ start: s, end: i, kind: digits ? 'number' : 'word' });
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else {
      // A surrogate pair is one punctuation token; a lone surrogate is one too.
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      tokens.push({ start: i, end: i + (pair ? 2 : 1), kind: 'punct' });
      i += pair ? 2 : 1;
    }
  }
  return tokens;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}
