// The note parser: sections, sentences and tokens, located by exact UTF-16 offsets into the original text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unified } from 'unified';
import { notePlugin, parseNote, tokenize, type NoteRoot, type ParsedNote } from '../src/note/index.ts';

function sentences(note: ParsedNote): string[] {
  return note.sentences.map((s) => note.text.slice(s.start, s.end));
}

function titles(note: ParsedNote): string[] {
  return note.sections.map((s) => `${s.level === 2 ? '  ' : ''}${s.kind}:${s.title}`);
}

test('ALL-CAPS header lines and "Header:" lines open sections', () => {
  const note = parseNote(
    'PATHOLOGY REPORT\n\nFINAL DIAGNOSIS:\nInvasive carcinoma.\n\nIMPRESSION\nStable.\n\nPlan:\nFollow up.',
  );
  assert.deepEqual(titles(note), [
    'header:PATHOLOGY REPORT',
    'header:FINAL DIAGNOSIS',
    'header:IMPRESSION',
    'header:Plan',
  ]);
  assert.deepEqual(sentences(note), ['Invasive carcinoma.', 'Stable.', 'Follow up.']);
});

test('an inline header after a blank line opens a section whose text follows the colon', () => {
  const note = parseNote('HPI: Lump.\n\nFAMILY HISTORY: Mother with breast cancer. Sister well.');
  assert.deepEqual(titles(note), ['header:HPI', 'header:FAMILY HISTORY']);
  assert.deepEqual(sentences(note), ['Lump.', 'Mother with breast cancer.', 'Sister well.']);
  const section = note.sections[1]!;
  assert.equal(note.text.slice(section.titleStart, section.titleEnd), 'FAMILY HISTORY');
});

test('synoptic "Key: value" lines under a title are fields of its section, each its own sentence', () => {
  const text =
    'SYNOPTIC REPORT (CAP Breast; AJCC 8th ed.)\nProcedure: Lumpectomy\nLymphovascular invasion: Not identified\nMargins: Negative';
  const note = parseNote(text);
  assert.deepEqual(titles(note), [
    'header:SYNOPTIC REPORT (CAP Breast; AJCC 8th ed.)',
    '  field:Procedure',
    '  field:Lymphovascular invasion',
    '  field:Margins',
  ]);
  assert.deepEqual(sentences(note), [
    'Procedure: Lumpectomy',
    'Lymphovascular invasion: Not identified',
    'Margins: Negative',
  ]);
  assert.equal(note.sections[2]!.parent, 0);
});

test('text before the first header is a preamble section', () => {
  const note = parseNote('Seen today.\n\nPLAN:\nContinue.');
  assert.deepEqual(titles(note), ['preamble:', 'header:PLAN']);
});

test('a sentence runs across wrapped lines', () => {
  const note = parseNote('Core biopsy of the breast mass: invasive ductal\ncarcinoma, grade 3. ER positive.');
  assert.deepEqual(sentences(note), [
    'Core biopsy of the breast mass: invasive ductal\ncarcinoma, grade 3.',
    'ER positive.',
  ]);
});

test('abbreviations, initials and decimals do not end a sentence', () => {
  const note = parseNote('Pt. is s/p lumpectomy per Dr. A. Smith, e.g. approx. 2.5 cm vs. 3 cm mass. Next sentence.');
  assert.deepEqual(sentences(note), [
    'Pt. is s/p lumpectomy per Dr. A. Smith, e.g. approx. 2.5 cm vs. 3 cm mass.',
    'Next sentence.',
  ]);
});

test('a period after a word that only looks like an abbreviation ends the sentence', () => {
  const note = parseNote('Perineural invasion reviewed, No. Margins clear. Take 2.5 mg. Return in 3 months.');
  assert.deepEqual(sentences(note), [
    'Perineural invasion reviewed, No.',
    'Margins clear.',
    'Take 2.5 mg.',
    'Return in 3 months.',
  ]);
});

test('a lower-case word after a period continues the sentence; a TNM code after it starts a new one', () => {
  const note = parseNote("Mass at 2 o'clock. seen on US. cT2 N0 M0.");
  assert.deepEqual(sentences(note), ["Mass at 2 o'clock. seen on US.", 'cT2 N0 M0.']);
});

test('a blank line, a new bullet and a new header end a sentence without punctuation', () => {
  const note = parseNote(
    'INDICATION\nRight breast mass\n\nFINDINGS:\n- Spiculated mass\n- No adenopathy\n1. Biopsy advised\nIMPRESSION:\nBI-RADS 5',
  );
  assert.deepEqual(sentences(note), [
    'Right breast mass',
    'Spiculated mass',
    'No adenopathy',
    'Biopsy advised',
    'BI-RADS 5',
  ]);
});

test('an indented wrapped line with a colon inside stays in its sentence', () => {
  const note = parseNote(
    'FINAL DIAGNOSIS:\n- CARCINOMA, GRADE 2 (TUBULES 3),\n     MULTIFOCAL (TWO FOCI: 3.6 CM AND 0.9 CM).',
  );
  assert.deepEqual(sentences(note), [
    'CARCINOMA, GRADE 2 (TUBULES 3),\n     MULTIFOCAL (TWO FOCI: 3.6 CM AND 0.9 CM).',
  ]);
  assert.equal(note.sections.length, 1);
});

test('CRLF line ends do not shift offsets', () => {
  const lf = 'HISTORY:\nNo prior malignancy.\n\nPLAN:\nStart tamoxifen.';
  const crlf = lf.replace(/\n/g, '\r\n');
  const note = parseNote(crlf);
  assert.deepEqual(sentences(note), ['No prior malignancy.', 'Start tamoxifen.']);
  const at = crlf.indexOf('tamoxifen');
  const sentence = note.sentences[note.sentenceAt(at)]!;
  assert.equal(crlf.slice(sentence.start, sentence.end), 'Start tamoxifen.');
  assert.equal(note.sections[note.sectionAt(at)]!.title, 'PLAN');
});

test('emoji and lone surrogates keep offsets in UTF-16 code units', () => {
  const text = 'NOTE 😀:\nMass 😀 in breast. \ud800 Lone surrogate here.';
  const note = parseNote(text);
  for (const s of note.sentences) assert.ok(s.start >= 0 && s.end <= text.length && s.start < s.end);
  const at = text.indexOf('breast');
  assert.equal(text.slice(note.sentences[note.sentenceAt(at)]!.start, at), 'Mass 😀 in ');
});

test('sentenceAt, sectionAt and headerAt find the enclosing spans, -1 outside', () => {
  const text = 'A\n\nSYNOPTIC\nMargins: Negative\nLVI: Absent';
  const note = parseNote(text);
  const at = text.indexOf('Absent');
  assert.equal(note.sections[note.sectionAt(at)]!.title, 'LVI');
  assert.equal(note.sections[note.headerAt(at)]!.title, 'SYNOPTIC');
  assert.equal(note.sentenceAt(text.indexOf('\n\n') + 1), -1);
  assert.equal(parseNote('').sentenceAt(0), -1);
});

test('the unified plugin yields a unist tree with positions that index the text', () => {
  const text = 'IMPRESSION:\r\nNo adenopathy.\r\nStable mass.';
  const tree: NoteRoot = unified().use(notePlugin).parse(text);
  assert.equal(tree.type, 'root');
  const section = tree.children[0]!;
  assert.equal(section.type, 'section');
  const second = section.children[1]!;
  assert.equal(second.type, 'sentence');
  assert.deepEqual(second.position!.start, { line: 3, column: 1, offset: text.indexOf('Stable') });
  assert.equal(text.slice(second.position!.start.offset, second.position!.end.offset), 'Stable mass.');
});

test('tokens are words, numbers and punctuation by offset; a surrogate pair is one token', () => {
  const text = 'ER 95%, HER2 2+ 😀';
  const tokens = tokenize(text).map((t) => `${t.kind}:${text.slice(t.start, t.end)}`);
  assert.deepEqual(tokens, [
    'word:ER',
    'number:95',
    'punct:%',
    'punct:,',
    'word:HER2',
    'number:2',
    'punct:+',
    'punct:😀',
  ]);
  assert.equal(parseNote(text, { tokens: true }).tokens?.length, 8);
});
