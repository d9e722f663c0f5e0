// Alignment of model answers (no offsets) to exact note spans, and defensive parsing of model JSON.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alignAnswer, isNoAnswer } from '../src/llm/align.ts';
import { mentionClaims, parseJsonOutput } from '../src/llm/model-output.ts';

/** The aligned text, so failures read as text rather than offsets. */
function aligned(note: string, answer: string, within?: { start: number; end: number }): string | undefined {
  const span = alignAnswer(note, answer, within);
  return span ? note.slice(span.start, span.end) : undefined;
}

describe('alignAnswer', () => {
  test('an exact answer gives its span', () => {
    const note = 'FINAL DIAGNOSIS: invasive ductal carcinoma, 2.5 cm.';
    const span = alignAnswer(note, 'invasive ductal carcinoma');
    assert.deepEqual(span, { start: 17, end: 42, edits: 0 });
  });

  test('case, whitespace and punctuation differences are tolerated', () => {
    const note = 'Tumor size:  2.5\ncm (greatest dimension)';
    assert.equal(aligned(note, '2.5 CM'), '2.5\ncm');
    assert.equal(aligned('ER positive (95%)', 'ER-positive, 95 %'), 'ER positive (95');
  });

  test('a short answer matches on word boundaries only', () => {
    assert.equal(aligned('The tumor is large. ER negative.', 'er'), 'ER');
    assert.equal(aligned('The tumor is large.', 'or'), undefined);
  });

  test('small edits in a long answer are tolerated', () => {
    assert.equal(
      aligned('Histology: invasive ductal carcinoma, grade 2.', 'invasive ductel carcinoma'),
      'invasive ductal carcinoma',
    );
  });

  test('a short answer with an edit is another value, so it is not aligned', () => {
    assert.equal(aligned('pT2 N1a M0', 'pT3'), undefined);
  });

  test('an answer far from the text is not aligned', () => {
    assert.equal(aligned('Histology: invasive ductal carcinoma.', 'small cell lung cancer'), undefined);
  });

  test('the occurrence inside the stated section wins', () => {
    const note = 'HISTORY: left breast mass.\nDIAGNOSIS: left breast carcinoma.';
    const section = { start: note.indexOf('DIAGNOSIS'), end: note.length };
    assert.equal(alignAnswer(note, 'left breast', section)?.start, note.indexOf('left breast', section.start));
  });

  test('an answer outside the stated section is still found in the note', () => {
    const note = 'HISTORY: left breast mass.\nDIAGNOSIS: carcinoma.';
    const section = { start: note.indexOf('DIAGNOSIS'), end: note.length };
    assert.equal(alignAnswer(note, 'left breast', section)?.start, 9);
  });

  test('offsets are UTF-16 code units across surrogate pairs and CRLF', () => {
    const note = '😀 note\r\nSize: 2.3 x 1.8 cm';
    const span = alignAnswer(note, '2.3 x 1.8 cm');
    assert.ok(span);
    assert.equal(note.slice(span.start, span.end), '2.3 x 1.8 cm');
  });

  test('"none" and empty answers are no answer, not an alignment', () => {
    for (const answer of ['none', 'None.', 'N/A', 'not mentioned', '  ']) assert.ok(isNoAnswer(answer), answer);
    assert.equal(alignAnswer('none of the nodes', 'none'), undefined);
  });
});

describe('parseJsonOutput', () => {
  const want = [{ type: 'tnm', text: 'pT2' }];

  test('plain JSON', () => assert.deepEqual(parseJsonOutput('[{"type": "tnm", "text": "pT2"}]'), want));
  test('inside a code fence', () =>
    assert.deepEqual(parseJsonOutput('```json\n[{"type": "tnm", "text": "pT2"}]\n```'), want));
  test('with prose before and after', () =>
    assert.deepEqual(parseJsonOutput('Here you go:\n[{"type": "tnm", "text": "pT2"}]\nHope this helps! [1]'), want));
  test('single quotes, unquoted keys and trailing commas', () =>
    assert.deepEqual(parseJsonOutput("[{type: 'tnm', 'text': 'pT2',},]"), want));
  test('Python literals', () => assert.deepEqual(parseJsonOutput("{'ok': True, 'x': None}"), { ok: true, x: null }));
  test('brackets inside strings do not end the value', () =>
    assert.deepEqual(parseJsonOutput('[{"type": "tnm", "text": "pT2 ] {"}] trailing'), [
      { type: 'tnm', text: 'pT2 ] {' },
    ]));
  test('output cut off by the token limit keeps its complete elements', () =>
    assert.deepEqual(parseJsonOutput('[{"type": "tnm", "text": "pT2"}, {"type": "gra'), want));
  test('no JSON at all', () => assert.equal(parseJsonOutput('The patient has cancer.'), undefined));
});

describe('mentionClaims', () => {
  test('keeps valid claims, normalizes type spelling and counts the rest', () => {
    const { claims, invalid } = mentionClaims({
      mentions: [
        { type: 'Tumor Size', text: '2.5 cm' },
        { type: 'receptor_status', text: 'ER negative', assertion: 'Present' },
        { type: 'mood', text: 'happy' },
        { type: 'tnm' },
        'junk',
      ],
    });
    assert.deepEqual(claims, [
      { type: 'tumor_size', text: '2.5 cm', assertion: 'present' },
      { type: 'receptor_status', text: 'ER negative', assertion: 'present' },
    ]);
    assert.equal(invalid, 3);
  });
});
