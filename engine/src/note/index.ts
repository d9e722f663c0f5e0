// Public surface of the note parser: text in, sections, sentences and (optionally) tokens out.
import { unified } from 'unified';
import { toParsedNote } from './parsed-note.ts';
import { notePlugin } from './plugin.ts';
import { tokenize } from './tokens.ts';
import type { NoteRoot, ParsedNote } from './types.ts';

export type { ParsedNote, Section, SectionKind, Sentence, Token, TokenKind, NoteRoot } from './types.ts';
export { notePlugin } from './plugin.ts';
export { tokenize } from './tokens.ts';

// Frozen once: unified's processor set-up is paid per process, not per note or sentence. It holds no state.
const processor = unified().use(notePlugin).freeze();

export interface ParseOptions {
  /** Also tokenize the whole note (off by default: the engine tokenizes only where it needs to). */
  tokens?: boolean;
}

export function parseNote(text: string, options: ParseOptions = {}): ParsedNote {
  const tree: NoteRoot = processor.parse(text);
  const note = toParsedNote(text, tree);
  if (options.tokens) note.tokens = tokenize(text);
  return note;
}
