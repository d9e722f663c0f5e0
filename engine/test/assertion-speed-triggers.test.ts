// The assertion pass's fast paths give the answers of the plain algorithm: triggers found by token hash (case,
// letters past ASCII, tokens whose hashes clash), word distances from word indices, sentences found by table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotatedMention, PhenotypeType } from '@cancerllm/protocol';
import { assignAssertions, compileRules, type ContextRules } from '../src/assertion/index.ts';
import { tokenHash } from '../src/assertion/triggers.ts';
import { parseNote } from '../src/note/index.ts';

/** The [[marked]] span of `fixture` as a mention of `type`: its assertion and trigger, as "assertion (trigger)". */
function assertionOf(fixture: string, rules?: ContextRules, type: PhenotypeType = 'histology'): string {
  const start = fixture.indexOf('[[');
  const end = fixture.indexOf(']]') - 2;
  const text = fixture.replace('[[', '').replace(']]', '');
  const mention: AnnotatedMention = { start, end, text: text.slice(start, end), type, value: {}, assertion: 'present' };
  const [out] = assignAssertions(parseNote(text), [mention], rules);
  return out!.provenance?.trigger ? `${out!.assertion} (${out!.provenance.trigger})` : out!.assertion;
}

/** Rules made of the given rules alone. */
function onlyRules(rules: object[]): ContextRules {
  return compileRules({
    maxScope: 10,
    sections: [],
    sectionDefaults: [],
    negationExemptTypes: [],
    possibleAsHypotheticalTypes: [],
    priority: ['family', 'hypothetical', 'negated', 'possible', 'historical'],
    rules,
  });
}

test('a trigger after a letter that grows when lower-cased ("İ") is still found', () => {
  assert.equal(assertionOf('Seen in İstanbul, no [[carcinoma]] in the margins.'), 'negated (no)');
  assert.equal(assertionOf('İ. no [[carcinoma]]'), 'negated (no)');
});

test('triggers match in any case, beside words past ASCII', () => {
  assert.equal(assertionOf('Sjögren syndrome; NO [[carcinoma]].'), 'negated (NO)');
  assert.equal(assertionOf('Œsophage: No evidence of [[carcinoma]].'), 'negated (No evidence of)');
  assert.equal(assertionOf('Sjögren syndrome; [[carcinoma]].'), 'present');
});

test('two literals whose tokens share a hash are both matched', () => {
  // Found by search: FNV-1a gives both the same 32 bits, so one table entry serves two tokens.
  assert.equal(tokenHash('yaczf'), tokenHash('glbpp'));
  const rules = onlyRules([
    { literal: 'yaczf', category: 'negated' },
    { literal: 'glbpp', category: 'possible' },
    { literal: 'then yaczf', category: 'hypothetical' },
    { literal: 'then glbpp', category: 'historical' },
  ]);
  assert.equal(assertionOf('yaczf [[carcinoma]]', rules), 'negated (yaczf)');
  assert.equal(assertionOf('GLBPP [[carcinoma]]', rules), 'possible (GLBPP)');
  assert.equal(assertionOf('then yaczf [[carcinoma]]', rules), 'hypothetical (then yaczf)');
  assert.equal(assertionOf('then glbpp [[carcinoma]]', rules), 'historical (then glbpp)');
});

test('a scope counts words between trigger and mention, punctuation aside', () => {
  const rules = onlyRules([
    { literal: 'sans', category: 'negated', maxScope: 2 },
    { literal: 'absent', category: 'negated', direction: 'backward', maxScope: 2 },
    { literal: 'sans doute', category: 'possible', maxScope: 1 },
  ]);
  assert.equal(assertionOf('sans one, two: [[carcinoma]]', rules), 'negated (sans)');
  assert.equal(assertionOf('sans one two three [[carcinoma]]', rules), 'present');
  assert.equal(assertionOf('[[carcinoma]] one - two absent', rules), 'negated (absent)');
  assert.equal(assertionOf('[[carcinoma]] one two three absent', rules), 'present');
  assert.equal(assertionOf('sans doute one [[carcinoma]]', rules), 'possible (sans doute)');
  assert.equal(assertionOf('sans doute one two [[carcinoma]]', rules), 'present');
});

test('mentions out of text order each get their own sentence', () => {
  const sentences: string[] = [];
  for (let i = 0; i < 60; i++) sentences.push(i % 2 === 0 ? `No carcinoma ${i}.` : `Carcinoma ${i} is seen here.`);
  const text = sentences.join(' ');
  const mentions: AnnotatedMention[] = [];
  for (let from = 0; ; ) {
    const start = text.toLowerCase().indexOf('carcinoma', from);
    if (start < 0) break;
    mentions.push({
      start,
      end: start + 9,
      text: text.slice(start, start + 9),
      type: 'histology',
      value: {},
      assertion: 'present',
    });
    from = start + 9;
  }
  mentions.reverse();
  const out = assignAssertions(parseNote(text), mentions);
  const expected = sentences.map((_, i) => (i % 2 === 0 ? 'negated' : 'present')).reverse();
  assert.deepEqual(
    out.map((m) => m.assertion),
    expected,
  );
});
