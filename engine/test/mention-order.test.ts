import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { hasValidSpan, sortUnique } from '../src/mention-order.ts';

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
