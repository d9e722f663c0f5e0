// Edge cases of the fast lexicon paths: the flat trie's walk, and the cheap nodal-region test before the site
// exclusion pattern. (noteWords' character scan is checked against tokenize in lexicon.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhenotypeType } from '@cancerllm/protocol';
import { extractMentions } from '../src/extract/index.ts';
import { PhraseMatcher } from '../src/lexicon/index.ts';

test('the trie walk keeps the longest term passed, and a case-sensitive term only as written', () => {
  const matcher = new PhraseMatcher([
    { term: 'small cell', payload: 'short' },
    { term: 'small cell lung carcinoma', payload: 'long' },
    { term: 'small cell lung', payload: 'middle' },
    { term: 'CA', payload: 'abbreviation', caseSensitive: true },
    { term: 'ca', payload: 'any case' },
  ]);
  const match = (text: string) => matcher.match(text).map((m) => [text.slice(m.start, m.end), m.payload]);
  assert.deepEqual(match('small cell lung cancer'), [['small cell lung', 'middle']]);
  assert.deepEqual(match('small cell lung carcinoma; small cell'), [
    ['small cell lung carcinoma', 'long'],
    ['small cell', 'short'],
  ]);
  assert.deepEqual(match('CA and Ca'), [
    ['CA', 'abbreviation'],
    ['Ca', 'any case'],
  ]);
});

function found(text: string, type: PhenotypeType): string[] {
  return extractMentions(text)
    .filter((m) => m.type === type)
    .map((m) => m.text);
}

test('a site word naming a nodal region is not a site, whatever the case of the node word', () => {
  assert.deepEqual(found('Enlarged cervical and inguinal NODES.', 'primary_site'), []);
  assert.deepEqual(found('Hilar and mediastinal Lymphadenopathy.', 'primary_site'), []);
  // The node word past the clause's end does not make the organ a nodal region.
  assert.deepEqual(found('Mass in the breast. Nodes negative.', 'primary_site'), ['breast']);
});
