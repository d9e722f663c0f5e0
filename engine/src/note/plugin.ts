// The unified parser plugin: note text in, a unist tree of sections, fields and sentences out, each node with a
// `position` whose offsets index the original string. Use as `unified().use(notePlugin)`.
import type { Plugin } from 'unified';
import type { Point, Position } from 'unist';
import { scanLines, type Line } from './lines.ts';
import { splitSentences, StopFinder } from './sentences.ts';
import type { FieldNode, NoteRoot, SectionNode, SentenceNode } from './types.ts';

export const notePlugin: Plugin<[], string, NoteRoot> = function () {
  this.parser = (document: string) => buildTree(document);
};

export function buildTree(text: string): NoteRoot {
  const lines = scanLines(text);
  const builder = new TreeBuilder(text, lines);
  for (let i = 0; i < lines.length; i++) builder.add(i);
  return builder.finish();
}

class TreeBuilder {
  private readonly root: NoteRoot;
  private section: SectionNode | undefined;
  private field: FieldNode | undefined;
  private blockStart = -1;
  private blockEnd = -1;
  /** End of the last non-blank line, where the open section and field end. */
  private contentEnd = 0;
  /** Shared by the blocks, which are split in order: the text is searched for sentence stops once. */
  private readonly stops: StopFinder;
  /** The line of the last point made: see lineIndexOf. */
  private lastLine = 0;

  constructor(
    private readonly text: string,
    private readonly lines: readonly Line[],
  ) {
    this.root = { type: 'root', children: [], position: this.span(0, text.length) };
    this.stops = new StopFinder(text);
  }

  add(index: number): void {
    const line = this.lines[index]!;
    switch (line.kind) {
      case 'blank':
        this.flushBlock();
        this.closeField();
        return;
      case 'header':
        this.flushBlock();
        this.closeField();
        this.closeSection();
        this.openSection(line, 'header');
        this.contentEnd = line.end;
        if (line.bodyStart < line.end) this.extendBlock(line.bodyStart, line.end);
        return;
      case 'field':
        this.flushBlock();
        this.closeField();
        this.ensureSection(line.start);
        this.field = {
          type: 'field',
          children: [],
          data: {
            title: this.text.slice(line.titleStart, line.titleEnd),
            titleStart: line.titleStart,
            titleEnd: line.titleEnd,
          },
          position: this.span(line.contentStart, line.end),
        };
        this.contentEnd = line.end;
        this.extendBlock(line.contentStart, line.end);
        return;
      case 'bullet':
        this.flushBlock();
        this.closeField();
        this.ensureSection(line.start);
        this.contentEnd = line.end;
        this.extendBlock(line.bodyStart, line.end);
        return;
      case 'text':
        if (this.field && !line.continues) {
          this.flushBlock();
          this.closeField();
        }
        this.ensureSection(line.start);
        this.contentEnd = line.end;
        this.extendBlock(line.contentStart, line.end);
        return;
    }
  }

  finish(): NoteRoot {
    this.flushBlock();
    this.closeField();
    this.closeSection();
    return this.root;
  }

  private extendBlock(start: number, end: number): void {
    if (this.blockStart < 0) this.blockStart = start;
    this.blockEnd = end;
  }

  private flushBlock(): void {
    if (this.blockStart < 0) return;
    const parent = this.field ?? this.section!;
    splitSentences(
      this.text,
      this.blockStart,
      this.blockEnd,
      (s, e) => {
        const sentence: SentenceNode = { type: 'sentence', position: this.span(s, e) };
        parent.children.push(sentence);
      },
      this.stops,
    );
    this.blockStart = this.blockEnd = -1;
  }

  private ensureSection(at: number): void {
    if (this.section) return;
    this.section = {
      type: 'section',
      children: [],
      data: { title: '', titleStart: at, titleEnd: at, kind: 'preamble' },
      position: this.span(at, at),
    };
  }

  private openSection(line: Line, kind: 'header'): void {
    this.section = {
      type: 'section',
      children: [],
      data: {
        title: this.text.slice(line.titleStart, line.titleEnd),
        titleStart: line.titleStart,
        titleEnd: line.titleEnd,
        kind,
      },
      position: this.span(line.contentStart, line.end),
    };
  }

  private closeField(): void {
    if (!this.field) return;
    this.field.position = this.closedAt(this.field.position!);
    this.section!.children.push(this.field);
    this.field = undefined;
  }

  private closeSection(): void {
    if (!this.section) return;
    this.section.position = this.closedAt(this.section.position!);
    this.root.children.push(this.section);
    this.section = undefined;
  }

  /** An open node's position, ended at the last content line (never before its start); its start point is kept. */
  private closedAt(open: Position): Position {
    const start = open.start.offset!;
    return { start: open.start, end: this.point(Math.max(start, this.contentEnd)) };
  }

  private span(start: number, end: number): Position {
    return { start: this.point(start), end: this.point(end) };
  }

  /** unist points: 1-based line and column (in UTF-16 code units), plus the offset. */
  private point(offset: number): Point {
    const line = this.lineIndexOf(offset);
    const lineStart = this.lines.length > 0 ? this.lines[line]!.start : 0;
    return { line: line + 1, column: offset - lineStart + 1, offset };
  }

  /**
   * Index of the last line starting at or before `offset` (0 when there is none). Offsets are asked for nearly in
   * order, so the line of the last answer, or the one after it, is tried before a binary search.
   */
  private lineIndexOf(offset: number): number {
    const lines = this.lines;
    const hint = this.lastLine;
    if (hint < lines.length && lines[hint]!.start <= offset) {
      if (hint + 1 >= lines.length || lines[hint + 1]!.start > offset) return hint;
      if (hint + 2 >= lines.length || lines[hint + 2]!.start > offset) return (this.lastLine = hint + 1);
    }
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }
}
