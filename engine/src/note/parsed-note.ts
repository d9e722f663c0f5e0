// Flattens the unist tree into a ParsedNote: sorted arrays of sections and sentences, with binary-search lookups.
import type { NoteRoot, ParsedNote, Section, Sentence } from './types.ts';

export function toParsedNote(text: string, tree: NoteRoot): ParsedNote {
  const sections: Section[] = [];
  const sentences: Sentence[] = [];
  // Headers and fields are searched apart (a field lies inside its header), so each kind keeps its own list.
  const headers = new SectionIndex();
  const fields = new SectionIndex();
  for (const node of tree.children) {
    const headerIndex = sections.length;
    const header: Section = {
      title: node.data.title,
      titleStart: node.data.titleStart,
      titleEnd: node.data.titleEnd,
      start: node.position!.start.offset!,
      end: node.position!.end.offset!,
      kind: node.data.kind,
      level: 1,
      parent: -1,
    };
    sections.push(header);
    headers.add(header, headerIndex);
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
      const field: Section = {
        title: child.data.title,
        titleStart: child.data.titleStart,
        titleEnd: child.data.titleEnd,
        start: child.position!.start.offset!,
        end: child.position!.end.offset!,
        kind: 'field',
        level: 2,
        parent: headerIndex,
      };
      sections.push(field);
      fields.add(field, fieldIndex);
      for (const sentence of child.children) {
        sentences.push({
          start: sentence.position!.start.offset!,
          end: sentence.position!.end.offset!,
          sectionIndex: fieldIndex,
        });
      }
    }
  }
  // Asked for once or twice per mention. Sentences are searched in the very array returned (read-only to callers),
  // so no copy of their offsets is built for notes that are never asked.
  return {
    text,
    sections,
    sentences,
    sentenceAt: (offset) => spanAt(sentences, offset),
    sectionAt: (offset) => {
      const field = fields.at(offset);
      return field >= 0 ? field : headers.at(offset);
    },
    headerAt: (offset) => headers.at(offset),
  };
}

interface Span {
  start: number;
  end: number;
}

/** The sections of one level, found by offset; filled while the tree is flattened, so it costs no pass of its own. */
class SectionIndex {
  private readonly sections: Section[] = [];
  private readonly indexes: number[] = [];

  /** Keeps `section`, at `index` in `ParsedNote.sections`; sections come sorted and non-overlapping. */
  add(section: Section, index: number): void {
    this.sections.push(section);
    this.indexes.push(index);
  }

  /** Index (in `ParsedNote.sections`) of the section holding `offset`, or -1. */
  at(offset: number): number {
    const found = spanAt(this.sections, offset);
    return found < 0 ? -1 : this.indexes[found]!;
  }
}

/**
 * Index of the span holding `offset` (an empty span holds its own start), or -1, by a binary search over the
 * starts of sorted, non-overlapping spans.
 */
function spanAt(spans: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return -1;
  const { start, end } = spans[found]!;
  return offset < end || (offset === start && start === end) ? found : -1;
}
