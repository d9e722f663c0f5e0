// `cancerllm annotate`: runs the analyzer over files and folders, applies curation sidecars, and prints JSON lines
// or writes an export (jsonl, brat, fhir) into --out.
import { statSync } from 'node:fs';
import { analyzeNote } from '@cancerllm/engine';
import { CurationStore } from '../curation/store.ts';
import { EXPORT_FORMATS, isExportFormat, jsonlLine, writeExport, type ExportedNote } from '../export/formats.ts';
import { expandInputs, readNoteFile } from '../files/note-files.ts';
import { checkBackend, parseCommandOptions } from './options.ts';

export function runAnnotate(argv: readonly string[]): number {
  const parsed = parseCommandOptions(argv, {
    format: { type: 'string', default: 'jsonl' },
    backend: { type: 'string', default: 'rules' },
    out: { type: 'string' },
  });
  if (!parsed.ok) return usageError(parsed.message);
  const { values, positionals } = parsed;
  const backendProblem = checkBackend(values.backend);
  if (backendProblem) return usageError(backendProblem);
  const format = values.format;
  if (!isExportFormat(format)) return usageError(`format "${String(format)}" is not available (available: ${EXPORT_FORMATS.join(', ')})`);
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  if (format !== 'jsonl' && !outDir) return usageError(`--format ${format} writes files: give a folder with --out DIR`);
  if (positionals.length === 0) return usageError('annotate needs at least one file or folder');

  const { files, unreadable } = expandInputs(positionals);
  for (const { path, reason } of unreadable) process.stderr.write(`cancerllm: skipped ${path}: ${reason}\n`);
  if (files.length === 0) return usageError('no note files found (folders are searched for *.note, *.txt and *.md)');
  const curation = new CurationStore();
  const notes: ExportedNote[] = [];
  for (const file of files) {
    const text = readNoteFile(file);
    if (typeof text !== 'string') {
      process.stderr.write(`cancerllm: skipped ${file}: ${text.reason}\n`);
      continue;
    }
    const { mentions: found, problems } = analyzeNote(text);
    for (const problem of problems) process.stderr.write(`cancerllm: ${file}: ${problem.message}\n`);
    const merged = curation.merge(file, text, found);
    if (merged.problem) process.stderr.write(`cancerllm: ${file}: ${merged.problem}; its curation was not applied\n`);
    for (const orphan of merged.orphans) process.stderr.write(`cancerllm: ${file}: curated annotation ${orphan.id} no longer matches the note text\n`);
    const note = { file, text, mentions: merged.mentions };
    if (outDir) notes.push(note);
    else process.stdout.write(`${jsonlLine(note)}\n`);
  }
  if (!outDir) return 0;
  const result = writeExport(notes, format, outDir, commonBase(positionals));
  for (const failure of result.failures) process.stderr.write(`cancerllm: could not export ${failure.file}: ${failure.reason}\n`);
  process.stderr.write(`cancerllm: wrote ${result.written.length} file(s) to ${outDir}\n`);
  return result.failures.length > 0 ? 1 : 0;
}

/** Export names are relative to the first folder given (or to the current folder for files). */
function commonBase(inputs: readonly string[]): string {
  const [first] = inputs;
  return inputs.length === 1 && first && isDirectory(first) ? first : '.';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing input was already reported by expandInputs
  }
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm annotate: ${message}\n`);
  return 2;
}
