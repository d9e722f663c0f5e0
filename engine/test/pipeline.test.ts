// The pipeline's invariants on the gold notes: spans index the text exactly, output is sorted and free of exact
// duplicates, assertions are set, analysis is deterministic, and failures become problems instead of exceptions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASSERTIONS, PHENOTYPE_TYPES } from '@cancerllm/protocol';
import { analyzeNote } from '../src/index.ts';
import { goldNotes } from './gold-notes.ts';

const notes = goldNotes();

test('every mention of every gold note satisfies text === note.slice(start, end)', () => {
  for (const { file, text } of notes) {
    const { mentions, problems } = analyzeNote(text);
    assert.deepEqual(problems, [], file);
    for (const m of mentions) assert.equal(m.text, text.slice(m.start, m.end), `${file} ${m.start}-${m.end}`);
  }
});

test('mentions are sorted by start then end, with no exact duplicates', () => {
  for (const { file, text } of notes) {
    const { mentions } = analyzeNote(text);
    for (let i = 1; i < mentions.length; i++) {
      const a = mentions[i - 1]!;
      const b = mentions[i]!;
      assert.ok(a.start < b.start || (a.start === b.start && a.end <= b.end), `${file}: order at ${i}`);
    }
    const keys = mentions.map((m) => JSON.stringify([m.start, m.end, m.type, m.assertion, m.value]));
    assert.equal(new Set(keys).size, keys.length, `${file}: duplicates`);
  }
});

test('each mention has a known type and assertion, and rules provenance', () => {
  for (const { text } of notes) {
    for (const m of analyzeNote(text).mentions) {
      assert.ok((PHENOTYPE_TYPES as readonly string[]).includes(m.type));
      assert.ok((ASSERTIONS as readonly string[]).includes(m.assertion));
      assert.equal(typeof m.provenance?.source, 'string');
    }
  }
});

test('ConText runs in the pipeline: a negated finding and a planned treatment', () => {
  const text = 'IMPRESSION:\nNo liver metastases.\n\nPLAN:\nWill start tamoxifen.';
  const { mentions } = analyzeNote(text);
  const liver = mentions.find((m) => m.type === 'metastasis_site');
  const tamoxifen = mentions.find((m) => m.type === 'treatment');
  assert.equal(liver?.assertion, 'negated');
  assert.equal(liver?.provenance?.trigger, 'No');
  assert.equal(tamoxifen?.assertion, 'hypothetical');
});

test('the same note analysed twice gives the same result', () => {
  for (const { text } of notes.slice(0, 5)) assert.deepEqual(analyzeNote(text), analyzeNote(text));
});

test('an empty note gives no mentions and no problems', () => {
  assert.deepEqual(analyzeNote(''), { mentions: [], problems: [] });
});

test('input that is not a string becomes a problem, not an exception', () => {
  const result = analyzeNote(undefined as unknown as string);
  assert.deepEqual(result.mentions, []);
  assert.equal(result.problems[0]?.code, 'invalid-input');
});
