// Hostile and odd input: the engine never throws, every span lies inside the text with text === slice, and the
// same input gives the same output. Sizes are chosen to keep this file fast (a few seconds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeNote } from '../src/index.ts';
import { parseNote } from '../src/note/index.ts';
import { goldNotes } from './gold-notes.ts';

const notes = goldNotes().map((note) => note.text);

/** mulberry32: a small seeded PRNG, so every run mutates the same way. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkSound(text: string, label: string): void {
  const result = analyzeNote(text);
  assert.ok(Array.isArray(result.mentions) && Array.isArray(result.problems), label);
  for (const m of result.mentions) {
    assert.ok(m.start >= 0 && m.end <= text.length && m.start < m.end, `${label}: span ${m.start}-${m.end}`);
    assert.equal(m.text, text.slice(m.start, m.end), `${label}: text at ${m.start}`);
  }
  const note = parseNote(text);
  for (const s of note.sentences)
    assert.ok(s.start >= 0 && s.end <= text.length && s.start < s.end, `${label}: sentence`);
}

test('binary garbage', () => {
  const random = prng(1);
  let text = '';
  for (let i = 0; i < 20_000; i++) text += String.fromCharCode(Math.floor(random() * 65536));
  checkSound(text, 'garbage');
  assert.deepEqual(analyzeNote(text), analyzeNote(text));
});

test('CRLF, lone CR, tabs, form feeds and NUL characters', () => {
  for (const note of notes.slice(0, 6)) {
    checkSound(note.replace(/\n/g, '\r\n'), 'crlf');
    checkSound(note.replace(/\n/g, '\r'), 'cr');
    checkSound(note.replace(/ {2,}/g, '\t').replace(/\n\n/g, '\n\f\n'), 'tabs');
    checkSound(note.replace(/\./g, '.\u0000'), 'nul');
  }
});

test('CRLF line ends give the same mentions, shifted by one per earlier line break', () => {
  const note = notes[0]!;
  const crlf = note.replace(/\n/g, '\r\n');
  const lf = analyzeNote(note).mentions;
  const shifted = analyzeNote(crlf).mentions.map((m) => {
    const breaks = (crlf.slice(0, m.start).match(/\r\n/g) ?? []).length;
    return {
      ...m,
      start: m.start - breaks,
      end: m.end - breaks - (m.text.match(/\r\n/g) ?? []).length,
      text: m.text.replace(/\r\n/g, '\n'),
    };
  });
  assert.deepEqual(
    shifted.map((m) => [m.start, m.end, m.type, m.assertion]),
    lf.map((m) => [m.start, m.end, m.type, m.assertion]),
  );
});

test('lone surrogates and emoji', () => {
  for (const note of notes.slice(0, 6)) {
    checkSound(
      note.replace(/ /g, (s, i: number) =>
        i % 7 === 0 ? ' \ud83d ' : i % 11 === 0 ? ' 😀 ' : i % 13 === 0 ? '\udc00' : s,
      ),
      'surrogates',
    );
  }
});

test('a single 100,000-character line', () => {
  const line = notes
    .join(' ')
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 100_000);
  checkSound(line, 'long line');
  checkSound('x'.repeat(100_000), 'one word');
  checkSound('.'.repeat(50_000) + ':'.repeat(50_000), 'punctuation');
});

test('one long sentence with thousands of mentions and triggers stays fast (no quadratic scope checks)', () => {
  const text = 'no liver metastases; bone metastases, '.repeat(3000);
  const started = Date.now();
  checkSound(text, 'dense sentence');
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});

test('a 5 MB note', () => {
  // Mostly plain prose with a gold note every ~100 KB: the size is real, the mention density low, so the test
  // checks linear behaviour and sound spans without timing the extractors on 5 MB of dense oncology text.
  const filler =
    'Patient seen in clinic today and feels well overall. Vital signs are stable and the exam is unremarkable.\n';
  let text = '';
  for (let i = 0; text.length < 5_000_000; i++) text += `${filler.repeat(1000)}\n${notes[i % notes.length]!}\n\n`;
  const started = Date.now();
  checkSound(text, '5 MB');
  assert.ok(Date.now() - started < 30_000, '5 MB analysed in under 30 s');
});

test('random mutations of gold notes (seeded)', () => {
  const random = prng(42);
  const pieces = [
    '\n',
    '\r\n',
    ' ',
    ':',
    '.',
    'No ',
    'if ',
    's/p ',
    '😀',
    '\ud800',
    '\t',
    '-',
    '(',
    ')',
    'FAMILY HISTORY:\n',
  ];
  for (let round = 0; round < 60; round++) {
    const chars = [...notes[round % notes.length]!];
    for (let k = 0; k < 40; k++) {
      const at = Math.floor(random() * chars.length);
      const action = random();
      if (action < 0.4) chars.splice(at, 1);
      else if (action < 0.8) chars.splice(at, 0, pieces[Math.floor(random() * pieces.length)]!);
      else
        chars.splice(at, 0, ...chars.slice(Math.floor(random() * chars.length), Math.floor(random() * chars.length)));
    }
    const text = chars.join('');
    checkSound(text, `mutation ${round}`);
    assert.deepEqual(analyzeNote(text), analyzeNote(text), `mutation ${round} deterministic`);
  }
});
