// Section kinds from titles: one joined pattern turns away titles that name no kind, but the kind of a title is
// still that of the first pattern (in rule-data order) that matches it, and patterns that cannot be joined work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { assignAssertions, compileRules, type ContextRules } from '../src/assertion/index.ts';
import { parseNote } from '../src/note/index.ts';

/** Rules with only the given section patterns, whose defaults make a history or plan section visible. */
function sectionRules(sections: Array<{ kind: string; pattern: string }>): ContextRules {
  return compileRules({
    maxScope: 10,
    sections,
    sectionDefaults: [
      { section: 'history', assertion: 'historical' },
      { section: 'plan', assertion: 'hypothetical' },
    ],
    negationExemptTypes: [],
    possibleAsHypotheticalTypes: [],
    priority: ['family', 'hypothetical', 'negated', 'possible', 'historical'],
    rules: [],
  });
}

/** The assertion and trigger of "Seminoma" under a section titled `title`. */
function underTitle(title: string, rules: ContextRules): string {
  const text = `${title}:\nSeminoma of the left testis.`;
  const start = text.indexOf('Seminoma');
  const mention: AnnotatedMention = {
    start,
    end: start + 8,
    text: 'Seminoma',
    type: 'histology',
    value: {},
    assertion: 'present',
  };
  const [out] = assignAssertions(parseNote(text), [mention], rules);
  return out!.provenance?.trigger ? `${out!.assertion} (${out!.provenance.trigger})` : out!.assertion;
}

test('a title two patterns match takes the kind of the first in rule-data order', () => {
  const planFirst = sectionRules([
    { kind: 'plan', pattern: '\\bplan\\b' },
    { kind: 'history', pattern: '\\bhistory\\b' },
  ]);
  const historyFirst = sectionRules([
    { kind: 'history', pattern: '\\bhistory\\b' },
    { kind: 'plan', pattern: '\\bplan\\b' },
  ]);
  assert.equal(underTitle('HISTORY AND PLAN', planFirst), 'hypothetical (plan section)');
  assert.equal(underTitle('HISTORY AND PLAN', historyFirst), 'historical (history section)');
  assert.equal(underTitle('IMPRESSION', planFirst), 'present');
});

test('a pattern with a group reference keeps its meaning beside other patterns', () => {
  // Joined after "(plans?)", "\1" would name that group instead of its own.
  const rules = sectionRules([
    { kind: 'plan', pattern: '\\b(plan)s?\\b' },
    { kind: 'history', pattern: '^(\\w+) \\1$' },
  ]);
  assert.equal(underTitle('NOTES NOTES', rules), 'historical (history section)');
  assert.equal(underTitle('PLANS', rules), 'hypothetical (plan section)');
  assert.equal(underTitle('NOTES', rules), 'present');
});
