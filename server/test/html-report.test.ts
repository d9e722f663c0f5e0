import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mention } from '@cancerllm/protocol';
import { escape, highlight, renderHtmlReport } from '../src/evaluation/html-report.ts';
import { compareNote, scoreNotes } from '../src/evaluation/score.ts';

const m = (start: number, end: number, type: Mention['type']): Mention => ({ start, end, text: '', type, value: {}, assertion: 'present' });

test('note text and values are escaped, never interpreted', () => {
  assert.equal(escape('<script>alert("x")</script> & \'y\''), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  const html = highlight('<b>pT2</b>', [{ m: m(3, 6, 'tnm'), kind: 'missed' }]);
  assert.equal(html, '&lt;b&gt;<mark class="missed" title="missed: tnm {}">pT2</mark>&lt;/b&gt;');
});

test('overlapping marks split into segments that show the most important kind', () => {
  const html = highlight('left breast', [
    { m: m(0, 11, 'primary_site'), kind: 'matched' },
    { m: m(0, 4, 'laterality'), kind: 'missed' },
  ]);
  assert.equal(html, '<mark class="missed" title="matched: primary_site {}\nmissed: laterality {}">left</mark><mark class="matched" title="matched: primary_site {}"> breast</mark>');
});

test('the report lists the worst note first with its missed and spurious counts', () => {
  const good = compareNote([m(0, 3, 'tnm')], [m(0, 3, 'tnm')]);
  const bad = compareNote([m(0, 3, 'tnm')], [m(5, 8, 'grade')]);
  const html = renderHtmlReport({
    title: 'eval <dev>',
    report: scoreNotes([good, bad]),
    notes: [
      { id: 'good-note', text: 'pT2 grade 2', comparison: good },
      { id: 'bad-note', text: 'pT2 grade 2', comparison: bad },
    ],
    worst: 1,
  });
  assert.match(html, /<title>eval &lt;dev&gt;<\/title>/);
  assert.match(html, /<h3>bad-note — lenient F1 0\.000, 1 missed, 1 spurious<\/h3>/);
  assert.doesNotMatch(html, /<h3>good-note/);
  assert.match(html, /Content-Security-Policy/);
});
