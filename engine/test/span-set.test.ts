import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanSet, lowerBound, startingIn } from '../src/extract/span-set.ts';

test('overlap queries agree with a plain scan, whatever the insertion order', () => {
  let seed = 5;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const set = new SpanSet();
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < 300; i++) {
    const start = Math.floor(random() * 2000);
    const end = start + 1 + Math.floor(random() * 40);
    set.add(start, end);
    spans.push([start, end]);
  }
  for (let q = 0; q < 2000; q++) {
    const start = Math.floor(random() * 2100);
    const end = start + Math.floor(random() * 30);
    const expected = spans.some(([s, e]) => s < Math.max(end, start + 1) && e > start);
    assert.equal(set.overlaps(start, end), expected, `query ${start}-${end}`);
    const ending = spans.filter(([, e]) => e >= start && e <= end).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.deepEqual(set.endingIn(start, end).sort((a, b) => a[0] - b[0] || a[1] - b[1]), ending);
  }
});

test('an empty set overlaps nothing; touching spans do not overlap', () => {
  const set = new SpanSet();
  assert.equal(set.overlaps(0, 10), false);
  set.add(10, 20);
  assert.equal(set.overlaps(0, 10), false);
  assert.equal(set.overlaps(20, 25), false);
  assert.equal(set.overlaps(19, 20), true);
  assert.equal(set.overlaps(15, 15), true, 'a point inside');
});

test('lowerBound and startingIn find ranges by binary search', () => {
  assert.equal(lowerBound([1, 3, 3, 7], 3), 1);
  assert.equal(lowerBound([1, 3, 3, 7], 8), 4);
  const items = [{ start: 1 }, { start: 5 }, { start: 9 }, { start: 12 }];
  assert.deepEqual(startingIn(items, 5, 12), [{ start: 5 }, { start: 9 }]);
});
