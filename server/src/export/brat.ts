// BRAT standoff export: the note as `.txt` and its mentions as `.ann`. BRAT counts offsets in Unicode code points,
// not UTF-16 units, and a text-bound span may not cross a line break, so spans are converted and split into
// fragments ("start end;start end"). Assertions become `Assertion` attributes; values go in AnnotatorNotes.
import type { Mention } from '@cancerllm/protocol';

export interface BratDocument {
  txt: string;
  ann: string;
}

export function toBrat(text: string, mentions: readonly Mention[]): BratDocument {
  const codePointAt = codePointOffsets(text);
  const lines: string[] = [];
  let attribute = 0;
  let note = 0;
  mentions.forEach((mention, index) => {
    const id = `T${index + 1}`;
    const fragments = lineFragments(text, mention.start, mention.end).map(([s, e]) => `${codePointAt(s)} ${codePointAt(e)}`);
    if (fragments.length === 0) return;
    // The text field shows the fragments joined by a space, as BRAT does for discontinuous spans.
    const shown = lineFragments(text, mention.start, mention.end).map(([s, e]) => text.slice(s, e)).join(' ');
    lines.push(`${id}\t${mention.type} ${fragments.join(';')}\t${shown}`);
    if (mention.assertion !== 'present') lines.push(`A${++attribute}\tAssertion ${id} ${mention.assertion}`);
    if (Object.keys(mention.value).length > 0) lines.push(`#${++note}\tAnnotatorNotes ${id}\t${JSON.stringify(mention.value)}`);
  });
  return { txt: text, ann: lines.length > 0 ? `${lines.join('\n')}\n` : '' };
}

/** The span cut at line breaks, without empty pieces. */
function lineFragments(text: string, start: number, end: number): Array<[number, number]> {
  const fragments: Array<[number, number]> = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    const atBreak = i < end && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13);
    if (i === end || atBreak) {
      if (i > from) fragments.push([from, i]);
      from = i + 1;
    }
  }
  return fragments;
}

/** Maps a UTF-16 offset to a code point offset (surrogate pairs count once). */
function codePointOffsets(text: string): (utf16: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (offset) => offset;
  const prefix = new Uint32Array(text.length + 1);
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    prefix[i] = points;
    const c = text.charCodeAt(i);
    const isHighWithLow = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (isHighWithLow) {
      prefix[i + 1] = points + 1; // the middle of a pair maps after it
      i++;
    }
    points++;
  }
  prefix[text.length] = points;
  return (offset) => prefix[offset] ?? points;
}
