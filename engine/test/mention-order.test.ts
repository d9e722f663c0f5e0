import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { hasValidSpan, sortUnique } from '../src/mention-order.ts';
import { seededRandom } from './random-pieces.ts';

const TEXT = 'ER positive, PR negative.';

function mentionAt(start: number, end: number, overrides: Partial<AnnotatedMention> = {}): AnnotatedMention {
  return {
    start,
    end,
    text: TEXT.slice(start, end),
    type: 'receptor_status',
    value: { receptor: 'ER', status: 'positive' },
    assertion: 'present',
    provenance: { source: 'rules' },
    ...overrides,
  };
}

test('a span is valid only when its offsets lie in the note and its text is exactly their slice', () => {
  assert.equal(hasValidSpan(TEXT, mentionAt(0, 11)), true);
  assert.equal(hasValidSpan(TEXT, mentionAt(0, 11, { text: 'ER Positive' })), false, 'same length, other text');
  assert.equal(hasValidSpan(TEXT, mentionAt(0, 11, { text: 'ER positive,' })), false, 'text longer than the span');
  assert.equal(hasValidSpan(TEXT, mentionAt(0, 11, { text: 'ER' })), false, 'text shorter than the span');
  assert.equal(hasValidSpan(TEXT, mentionAt(20, 30, { text: 'ative.' })), false, 'runs past the end');
  assert.equal(hasValidSpan(TEXT, mentionAt(-1, 2, { text: 'ER' })), false, 'starts before the note');
  assert.equal(hasValidSpan(TEXT, mentionAt(3, 3, { text: '' })), false, 'empty');
  assert.equal(hasValidSpan(TEXT, mentionAt(0.5, 2, { text: 'R' })), false, 'not an integer offset');
  const noText = mentionAt(0, 2);
  (noText as { text: unknown }).text = undefined;
  assert.equal(hasValidSpan(TEXT, noText), false, 'no text at all');
});

test('mentions come out by start, end and type, exact duplicates once, other values kept', () => {
  const pr = mentionAt(13, 24, { value: { receptor: 'PR', status: 'negative' } });
  const er = mentionAt(0, 11);
  const erAgain = mentionAt(0, 11);
  const erAsBiomarker = mentionAt(0, 11, { type: 'biomarker', value: { marker: 'ER', result: 'positive' } });
  const erNegated = mentionAt(0, 11, { assertion: 'negated' });
  const erShorter = mentionAt(0, 2, { value: { receptor: 'ER' } });
  const sorted = sortUnique([pr, er, erAsBiomarker, erAgain, erNegated, erShorter]);
  assert.deepEqual(sorted, [erShorter, erAsBiomarker, er, erNegated, pr]);
});

/** The plain form sortUnique's keyed sort replaces: a stable comparator sort by start, end and type. */
function comparatorOrder(mentions: readonly AnnotatedMention[]): AnnotatedMention[] {
  return [...mentions].sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
}

test('the keyed sort orders as a stable comparator sort by start, end and type, on seeded random mentions', () => {
  const random = seededRandom(1129);
  const types = ['receptor_status', 'biomarker', 'histology', 'grade'] as const;
  for (let i = 0; i < 2000; i++) {
    const count = Math.floor(random() * 80);
    // Few distinct offsets, so that many mentions share a start, a span or a span and type; now and then a huge
    // offset or a count whose keys would not fit in 32 bits (the comparator sort's fallback).
    const spread = i % 50 === 0 ? 2 ** 27 : 1 + Math.floor(random() * 40);
    const mentions = Array.from({ length: count }, (_, k) => {
      const start = Math.floor(random() * spread);
      return mentionAt(start, start + 1 + Math.floor(random() * 4), {
        type: types[Math.floor(random() * types.length)]!,
        value: { k },
        text: 'x',
      });
    });
    const expected = comparatorOrder(mentions);
    const input = [...mentions];
    // Every value differs, so nothing is dropped and the output is the order itself.
    assert.deepEqual(sortUnique(input), expected);
    assert.deepEqual(input, expected, 'sorts the array given');
  }
});

test('offsets that are not non-negative integers are sorted by the comparator', () => {
  const a = mentionAt(2, 3, { value: { k: 'a' } });
  const b = mentionAt(0.5, 3, { value: { k: 'b' } });
  const c = mentionAt(-1, 3, { value: { k: 'c' } });
  assert.deepEqual(sortUnique([a, b, c]), [c, b, a]);
});
