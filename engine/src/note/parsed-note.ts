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
  // Asked for once or twice per mention: each kind of item is searched by its starts, in a typed array.
  const headers = new ItemIndex(sections, (s) => s.level === 1);
  const fields = new ItemIndex(sections, (s) => s.level === 2);
  const sentenceIndex = new ItemIndex(sentences, () => true);
  return {
    text,
    sections,
    sentences,
    sentenceAt: (offset) => sentenceIndex.at(offset),
    sectionAt: (offset) => {
      const field = fields.at(offset);
      return field >= 0 ? field : headers.at(offset);
    },
    headerAt: (offset) => headers.at(offset),
  };
}

/** Some of a sorted, non-overlapping list of spans, found by offset with a binary search over their starts. */
class ItemIndex<T extends { start: number; end: number }> {
  private readonly indexes: Int32Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(items: readonly T[], keep: (item: T) => boolean) {
    let count = 0;
    for (const item of items) if (keep(item)) count++;
    this.indexes = new Int32Array(count);
    this.starts = new Int32Array(count);
    this.ends = new Int32Array(count);
    let k = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (!keep(item)) continue;
      this.indexes[k] = i;
      this.starts[k] = item.start;
      this.ends[k] = item.end;
      k++;
    }
  }

  /** Index (in the full list) of the item holding `offset` (an empty item holds its own start), or -1. */
  at(offset: number): number {
    const starts = this.starts;
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
    const start = starts[found]!;
    const end = this.ends[found]!;
    return offset < end || (offset === start && start === end) ? this.indexes[found]! : -1;
  }
}
