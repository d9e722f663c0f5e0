// The shape of a parsed note: sections, sentences and (on request) tokens, each located by UTF-16 offsets into
// the original text. Invariant: every `start`/`end` is a JavaScript string index, end exclusive, never shifted by
// CRLF line ends, surrogate pairs or tabs.
import type { Node, Parent } from 'unist';

/** `header`: a title line ("FINAL DIAGNOSIS:", "IMPRESSION", "Plan:"); `field`: a synoptic "Key: value" line
 * inside a header's section; `preamble`: text before the first header. */
export type SectionKind = 'preamble' | 'header' | 'field';

export interface Section {
  /** The title without its colon ("FAMILY HISTORY"); empty for the preamble. */
  title: string;
  titleStart: number;
  titleEnd: number;
  /** The whole section, title included. */
  start: number;
  end: number;
  kind: SectionKind;
  /** 1 for headers and the preamble, 2 for fields. */
  level: 1 | 2;
  /** Index in `ParsedNote.sections` of the enclosing header, for fields; -1 otherwise. */
  parent: number;
}

export interface Sentence {
  start: number;
  end: number;
  /** Index in `ParsedNote.sections` of the innermost section holding the sentence. */
  sectionIndex: number;
}

export type TokenKind = 'word' | 'number' | 'punct';

export interface Token {
  start: number;
  end: number;
  kind: TokenKind;
}

export interface ParsedNote {
  text: string;
  /** Sorted by start; a field follows its header and lies inside it. */
  sections: Section[];
  /** Sorted, non-overlapping. */
  sentences: Sentence[];
  /** Present when parsing was asked for tokens. */
  tokens?: Token[];
  /** Index of the sentence holding `offset`, or -1. */
  sentenceAt(offset: number): number;
  /** Index of the innermost section holding `offset` (a field before its header), or -1. */
  sectionAt(offset: number): number;
  /** Index of the level-1 section (header or preamble) holding `offset`, or -1. */
  headerAt(offset: number): number;
}

/** unist nodes produced by the unified parser plugin. */
export interface SentenceNode extends Node {
  type: 'sentence';
}

export interface FieldNode extends Parent {
  type: 'field';
  children: SentenceNode[];
  data: { title: string; titleStart: number; titleEnd: number };
}

export interface SectionNode extends Parent {
  type: 'section';
  children: Array<FieldNode | SentenceNode>;
  data: { title: string; titleStart: number; titleEnd: number; kind: 'preamble' | 'header' };
}

export interface NoteRoot extends Parent {
  type: 'root';
  children: SectionNode[];
}
