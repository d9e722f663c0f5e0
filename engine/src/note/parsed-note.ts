// Flattens the unist tree into a ParsedNote: sorted arrays of sections and sentences, with binary-search lookups.
import type { NoteRoot, ParsedNote, Section, Sentence } from './types.ts';

export function toParsedNote(text: string, tree: NoteRoot): ParsedNote {
  const sections: Section[] = [];
  const sentences: Sentence[] = [];
  for (const node of tree.children) {
    const headerIndex = sections.length;
    sections.push({
      title: node.data.title,
      titleStart: node.data.titleStart,
      titleEnd: node.data.titleEnd,
      start: node.position!.start.offset!,
      end: node.position!.end.offset!,
      kind: node.data.kind,
      level: 1,
      parent: -1,
    });
    for (const child of node.children) {
      if (child.type === 'sentence') {
        sentences.push({
          start: child.position!.start.offset!,
          end: child.position!.end.offset!,
          sectionIndex: headerIndex,
        });
        continue;
      }
      const fieldIndex = sections.length;
      sections.push({
        title: child.data.title,
        titleStart: child.data.titleStart,
        titleEnd: child.data.titleEnd,
        start: child.position!.start.offset!,
        end: child.position!.end.offset!,
        kind: 'field',
        level: 2,
        parent: headerIndex,
      });
      for (const sentence of child.children) {
        sentences.push({
          start: sentence.position!.start.offset!,
          end: sentence.position!.end.offset!,
          sectionIndex: fieldIndex,
        });
      }
    }
  }
  const headers = sections.map((s, i) => i).filter((i) => sections[i]!.level === 1);
  const fields = sections.map((s, i) => i).filter((i) => sections[i]!.level === 2);
  const within = (
    indexes: readonly number[],
    offset: number,
    items: ReadonlyArray<{ start: number; end: number }>,
  ): number => {
    const i = lastStartingAtOrBefore(indexes, offset, (k) => items[k]!.start);
    if (i < 0) return -1;
    const item = items[indexes[i]!]!;
    return offset < item.end || (offset === item.start && item.start === item.end) ? indexes[i]! : -1;
  };
  // Sentences are asked for once or twice per mention: their starts sit in one typed array for the search.
  const sentenceStarts = Int32Array.from(sentences, (s) => s.start);
  return {
    text,
    sections,
    sentences,
    sentenceAt: (offset) => sentenceAt(sentences, sentenceStarts, offset),
    sectionAt: (offset) => {
      const field = within(fields, offset, sections);
      return field >= 0 ? field : within(headers, offset, sections);
    },
    headerAt: (offset) => within(headers, offset, sections),
  };
}

/** Index of the sentence holding `offset` (an empty sentence holds its own start), or -1. */
function sentenceAt(sentences: readonly Sentence[], starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return -1;
  const sentence = sentences[found]!;
  return offset < sentence.end || (offset === sentence.start && sentence.start === sentence.end) ? found : -1;
}

/** Position in `indexes` of the last item starting at or before `offset`, or -1. */
function lastStartingAtOrBefore(indexes: readonly number[], offset: number, startOf: (k: number) => number): number {
  let lo = 0;
  let hi = indexes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (startOf(indexes[mid]!) <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
