// Text copied from a web page, a PDF or a word processor holds no-break spaces (U+00A0) and tabs where spaces were
// typed, and typists double spaces. A note with its spaces so replaced must give the same mentions: checked on the
// gold notes, and on the places a single plain space used to be required.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { analyzeNote } from '../src/index.ts';
import { goldNotes } from './gold-notes.ts';

const notes = goldNotes();

function key(m: AnnotatedMention): string {
  return `${m.type} ${m.start}-${m.end} ${JSON.stringify(m.value)} ${m.assertion}`;
}

for (const [name, space, every] of [
  ['no-break space', '\u00a0', 2],
  ['tab', '\t', 3],
] as const) {
  test(`a gold note with a ${name} for every ${every === 2 ? 'second' : 'third'} space gives the same mentions`, () => {
    const differences: string[] = [];
    for (const { file, text } of notes) {
      let spaces = 0;
      const replaced = text.replace(/ /g, () => (++spaces % every === 0 ? space : ' '));
      const before = new Set(analyzeNote(text).mentions.map(key));
      const after = new Set(analyzeNote(replaced).mentions.map(key));
      for (const m of before) if (!after.has(m)) differences.push(`${file}: lost ${m}`);
      for (const m of after) if (!before.has(m)) differences.push(`${file}: found only with ${name}s: ${m}`);
    }
    assert.deepEqual(differences, []);
  });
}

test('a no-break space inside a lexicon phrase, after a key colon and between TNM parts', () => {
  const written = (text: string) => analyzeNote(text).mentions.map((m) => [m.type, m.text, m.assertion]);
  assert.deepEqual(written('Invasive\u00a0ductal\u00a0carcinoma, pT2\u00a0N1a\u00a0M0.'), [
    ['histology', 'Invasive\u00a0ductal\u00a0carcinoma', 'present'],
    ['tnm', 'pT2\u00a0N1a\u00a0M0', 'present'],
  ]);
  // "HISTORY:" followed by a no-break space is still a section title, so its content is history.
  assert.deepEqual(written('Seen today.\n\nOTHER HISTORY:\u00a0Basal cell carcinoma of the nose, 2018.').slice(0, 1), [
    ['histology', 'Basal cell carcinoma', 'historical'],
  ]);
});

test('a gold note with every space between two words doubled gives the same mentions, as written', () => {
  // Offsets move, so mentions are compared by type, text (spaces collapsed), value and assertion.
  const written = (text: string) =>
    analyzeNote(text)
      .mentions.map((m) => `${m.type} ${m.text.replace(/\s+/g, ' ')} ${JSON.stringify(m.value)} ${m.assertion}`)
      .sort();
  for (const { file, text } of notes) {
    assert.deepEqual(written(text.replace(/(\S) (?=\S)/g, '$1  ')), written(text), file);
  }
});
