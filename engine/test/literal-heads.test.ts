import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWhitespace, rareLiteralHits } from '../src/extract/literal-heads.ts';

const regexHits = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m.index);

test('literal heads are where the case-insensitive alternation matches', () => {
  const words = ['lymph', 'adenopathy', 'nodal', 'node'];
  for (const text of [
    'Lymphadenopathy with NODAL disease; 3 nodes, nodular, no node.',
    'nodalymph nodenode nodnodal LYMPHNODE',
    '',
    'no heads here',
  ]) {
    assert.deepEqual(rareLiteralHits(text, words), regexHits(text, /lymph|adenopathy|nodal|node/gi), text);
  }
});

test('at one offset the first word in order wins, and a hit is not found again inside it', () => {
  assert.deepEqual(rareLiteralHits('aaaa', ['aa']), [0, 2]);
  assert.deepEqual(rareLiteralHits('moderately', ['moderate', 'moderately']), [0]);
  assert.deepEqual(rareLiteralHits('no node', ['no', 'node']), regexHits('no node', /no|node/gi));
});

test("isWhitespace is a regex's \\s for every UTF-16 code unit", () => {
  for (let code = 0; code < 0x10000; code++) {
    assert.equal(isWhitespace(code), /\s/.test(String.fromCharCode(code)), `U+${code.toString(16)}`);
  }
});
