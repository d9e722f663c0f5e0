// Edge cases of the note parser's sentence ends and "Key:" lines, which it answers from characters, not regexes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNote, type ParsedNote } from '../src/note/index.ts';

function sentences(note: ParsedNote): string[] {
  return note.sentences.map((s) => note.text.slice(s.start, s.end));
}

function titles(note: ParsedNote): string[] {
  return note.sections.map((s) => `${s.level === 2 ? '  ' : ''}${s.kind}:${s.title}`);
}

test('an abbreviation in any letter case ends no sentence', () => {
  assert.deepEqual(sentences(parseNote('Seen by DR. Okonkwo. Stable.')), ['Seen by DR. Okonkwo.', 'Stable.']);
  assert.deepEqual(sentences(parseNote('Given 5 mg B.I.D. Tolerated well.')), ['Given 5 mg B.I.D. Tolerated well.']);
});

test('single letters between periods end no sentence', () => {
  const note = parseNote('Scored by R.E.N.A.L. Nephrometry was high.');
  assert.deepEqual(sentences(note), ['Scored by R.E.N.A.L. Nephrometry was high.']);
});

test('a period after a lone period ends the sentence', () => {
  assert.deepEqual(sentences(parseNote('Stable .. Next visit in May.')), ['Stable ..', 'Next visit in May.']);
});

test('a word with letters beyond ASCII is judged by its lower case', () => {
  // The Kelvin sign lower-cases to "k", a lone letter, so it reads as an initial.
  assert.deepEqual(sentences(parseNote('Measured at 300 \u212a. Stable.')), ['Measured at 300 \u212a. Stable.']);
  assert.deepEqual(sentences(parseNote('Seen at the café. Next visit in May.')), [
    'Seen at the café.',
    'Next visit in May.',
  ]);
});

test('a key title holds at most 60 characters', () => {
  const note = parseNote(`${'A'.repeat(60)}: value\n\n${'B'.repeat(61)}: value`);
  assert.deepEqual(titles(note), [`header:${'A'.repeat(60)}`]);
  assert.deepEqual(sentences(note), ['value', `${'B'.repeat(61)}: value`]);
});

test('a key needs balanced parentheses and a blank after its colon; blanks before the colon are not its title', () => {
  const note = parseNote('SIZE (CM: 2\n\nRATIO:1\n\nMargins\t: Negative');
  assert.deepEqual(titles(note), ['header:SIZE (CM: 2', 'header:RATIO:1', 'header:Margins']);
  assert.deepEqual(sentences(note), ['Negative']);
});

test('a key after a line without a colon is found, and one after sentence punctuation is not', () => {
  assert.deepEqual(titles(parseNote('Clinical history\nSite: breast')), ['header:Clinical history', '  field:Site']);
  const note = parseNote('Seen today\nNote. Size: 2 cm');
  assert.deepEqual(titles(note), ['preamble:']);
  assert.deepEqual(sentences(note), ['Seen today\nNote.', 'Size: 2 cm']);
});
