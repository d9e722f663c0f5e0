// The editor's export request: reads the notes (open ones with their unsaved text), analyses them, applies their
// curation and writes the chosen format. Unreadable notes and unwritable files are listed; the rest is written.
import { dirname } from 'node:path';
import type { AnnotatedMention, ExportParams, ExportResultMessage } from '@cancerllm/protocol';
import type { CurationStore } from '../curation/store.ts';
import { expandInputs, notePathOf, readNoteFile } from '../files/note-files.ts';
import { isExportFormat, writeExport, type ExportedNote } from './formats.ts';

export interface ExportSources {
  workspaceFolders: readonly string[];
  /** The text of a note open in the editor, which may differ from the file. */
  openText(path: string): string | undefined;
  analyze(text: string): Promise<AnnotatedMention[]>;
  curation: CurationStore;
}

export async function exportNotes(params: ExportParams, sources: ExportSources): Promise<ExportResultMessage> {
  if (!isExportFormat(params.format)) return { written: 0, failures: [{ file: '', reason: `unknown export format "${String(params.format)}"` }] };
  if (typeof params.outDir !== 'string' || params.outDir === '') return { written: 0, failures: [{ file: '', reason: 'no output folder given' }] };
  const failures: ExportResultMessage['failures'] = [];
  const paths = params.uris
    ? params.uris.map((uri) => notePathOf(uri) ?? uri)
    : expandInputs(sources.workspaceFolders).files.filter((file) => file.endsWith('.note'));
  const notes: ExportedNote[] = [];
  for (const path of paths) {
    const text = sources.openText(path) ?? readNoteFile(path);
    if (typeof text !== 'string') {
      failures.push({ file: path, reason: text.reason });
      continue;
    }
    const merged = sources.curation.merge(path, text, await sources.analyze(text));
    if (merged.problem) failures.push({ file: path, reason: `${merged.problem}; exported without its curation` });
    notes.push({ file: path, text, mentions: merged.mentions });
  }
  const base = sources.workspaceFolders[0] ?? (paths[0] ? dirname(paths[0]) : params.outDir);
  const written = writeExport(notes, params.format, params.outDir, base);
  return { written: written.written.length, failures: [...failures, ...written.failures] };
}
