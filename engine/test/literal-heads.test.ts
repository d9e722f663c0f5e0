import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldedMatchAll } from '../src/extract/folded-match.ts';
import { rareLiteralHits } from '../src/extract/literal-heads.ts';
import { matchFromHeadOffsets, type NarrowedLead } from '../src/extract/narrowed-scan.ts';

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

test("matches from head offsets are the global scan's, with a case-insensitive pattern's strings in lower case", () => {
  const pattern = /(?<![a-z])((?:deep|all)\s+)*(MARGINS?)(?:\s+(free|clear))?/giy;
  const lead: NarrowedLead = { lead: /(?:(?:deep|all)\s+)*$/i, lookBack: 40, mayMatch: () => true };
  const sticky = new RegExp(pattern.source, 'iy');
  for (const text of [
    'Deep Margin FREE; all  DEEP margins clear, margin.',
    'MARGINS Margins margin',
    'İ deep margin free',
    'no heads',
  ]) {
    const heads = rareLiteralHits(text, ['margin']);
    const found = [...matchFromHeadOffsets(text, heads, lead, sticky)].map((m) => ({
      index: m.index,
      strings: [...m],
    }));
    const full = [...foldedMatchAll(text, new RegExp(pattern.source, 'gi'))].map((m) => ({
      index: m.index,
      strings: [...m].map((s) => (text.toLowerCase().length === text.length ? s?.toLowerCase() : s)),
    }));
    assert.deepEqual(found, full, text);
  }
});
