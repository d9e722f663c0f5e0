// Writes curated mentions of notes in an export format: JSONL (spec mentions), BRAT standoff (.txt + .ann per note)
// or FHIR R4 (a Bundle per note). Every file is written atomically; a failure names the file and loses nothing.
import { mkdirSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import type { Mention } from '@cancerllm/protocol';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { toBrat } from './brat.ts';
import { toFhirBundle } from './fhir.ts';

export const EXPORT_FORMATS = ['jsonl', 'brat', 'fhir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedNote {
  file: string;
  text: string;
  mentions: readonly Mention[];
}

export interface ExportResult {
  written: string[];
  failures: Array<{ file: string; reason: string }>;
}

/** Only the spec's fields leave the tool: provenance is editor state, not dataset content. */
export function toSpecMention(m: Mention): Mention {
  return { start: m.start, end: m.end, text: m.text, type: m.type, value: m.value, assertion: m.assertion };
}

export function jsonlLine(note: Pick<ExportedNote, 'file' | 'mentions'>): string {
  return JSON.stringify({ file: note.file, mentions: note.mentions.map(toSpecMention) });
}

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** The files one note exports to, relative to nothing: paths are inside `outDir`. JSONL notes become parts. */
export function noteOutputs(note: ExportedNote, format: ExportFormat, outDir: string, baseDir: string): Array<{ path: string; content: string }> {
  const stem = exportStem(note.file, baseDir);
  switch (format) {
    case 'jsonl':
      return [{ path: join(outDir, 'parts', `${stem}.jsonl`), content: `${jsonlLine(note)}\n` }];
    case 'brat': {
      const brat = toBrat(note.text, note.mentions);
      return [
        { path: join(outDir, `${stem}.txt`), content: brat.txt },
        { path: join(outDir, `${stem}.ann`), content: brat.ann },
      ];
    }
    case 'fhir':
      return [{ path: join(outDir, `${stem}.fhir.json`), content: `${JSON.stringify(toFhirBundle(note.mentions, { noteId: basename(note.file) }), null, 2)}\n` }];
  }
}

/** Writes the notes into `outDir` (JSONL as one annotations.jsonl); file names come from paths relative to `baseDir`. */
export function writeExport(notes: readonly ExportedNote[], format: ExportFormat, outDir: string, baseDir: string): ExportResult {
  const result: ExportResult = { written: [], failures: [] };
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    result.failures.push({ file: outDir, reason: error instanceof Error ? error.message : String(error) });
    return result;
  }
  const write = (path: string, content: string, note: string): void => {
    try {
      writeFileAtomic(path, content);
      result.written.push(path);
    } catch (error) {
      result.failures.push({ file: note, reason: error instanceof Error ? error.message : String(error) });
    }
  };
  if (format === 'jsonl') {
    const path = join(outDir, 'annotations.jsonl');
    write(path, notes.map((note) => `${jsonlLine(note)}\n`).join(''), path);
    return result;
  }
  for (const note of notes) {
    for (const output of noteOutputs(note, format, outDir, baseDir)) write(output.path, output.content, note.file);
  }
  return result;
}

/** "notes/2024/a.note" → "notes__2024__a": unique per path, flat in the output folder. */
export function exportStem(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  const withoutExt = rel.slice(0, rel.length - extname(rel).length);
  return withoutExt.split(/[\\/]+/).filter((part) => part && part !== '..').join('__') || 'note';
}
