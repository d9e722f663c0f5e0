// Expands files and folders (command-line arguments, workspace folders) into the note files to read, in a stable
// order, and reads a note's text, refusing binary files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Extensions read when a folder is given; a file named explicitly is read whatever its extension. */
export const NOTE_EXTENSIONS = new Set(['.note', '.txt', '.md']);

export interface ExpandedInputs {
  files: string[];
  /** Inputs that do not exist or cannot be listed, with the reason. */
  unreadable: Array<{ path: string; reason: string }>;
}

export function expandInputs(inputs: readonly string[]): ExpandedInputs {
  const files: string[] = [];
  const unreadable: ExpandedInputs['unreadable'] = [];
  const visit = (path: string, explicit: boolean): void => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      unreadable.push({ path, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (!isDirectory) {
      if (explicit || NOTE_EXTENSIONS.has(extname(path).toLowerCase())) files.push(path);
      return;
    }
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (error) {
      unreadable.push({ path, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      visit(join(path, name), false);
    }
  };
  for (const input of inputs) visit(input, true);
  return { files, unreadable };
}

/** Reads UTF-8 text; a file with NUL bytes is treated as binary and skipped rather than annotated as garbage. */
export function readNoteFile(file: string): string | { reason: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
  if (bytes.includes(0)) return { reason: 'not a text file (contains NUL bytes)' };
  return bytes.toString('utf8');
}

/** The file system path of a `file:` note, or undefined for untitled and virtual documents. */
export function notePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined; // not a local file URI (e.g. a UNC host on this platform); curation is unavailable for it
  }
}
