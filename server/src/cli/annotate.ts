// `cancerllm annotate`: runs the analyzer over files and folders and prints one JSON line per note.
import { readFileSync } from 'node:fs';
import { analyzeNote } from '@cancerllm/engine';
import type { Mention } from '@cancerllm/protocol';
import { expandInputs } from './files.ts';
import { checkBackend, parseCommandOptions } from './options.ts';

const FORMATS = ['jsonl'] as const;

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
  if (!(FORMATS as readonly unknown[]).includes(values.format)) {
    return usageError(`format "${String(values.format)}" is not available (available: ${FORMATS.join(', ')})`);
  }
  if (values.out !== undefined) return usageError('--out is only used by the brat and fhir formats, which this build does not have');
  if (positionals.length === 0) return usageError('annotate needs at least one file or folder');

  const { files, unreadable } = expandInputs(positionals);
  for (const { path, reason } of unreadable) process.stderr.write(`cancerllm: skipped ${path}: ${reason}\n`);
  let failures = unreadable.length;
  for (const file of files) {
    const text = readNote(file);
    if (typeof text !== 'string') {
      failures++;
      process.stderr.write(`cancerllm: skipped ${file}: ${text.reason}\n`);
      continue;
    }
    const { mentions, problems } = analyzeNote(text);
    for (const problem of problems) process.stderr.write(`cancerllm: ${file}: ${problem.message}\n`);
    process.stdout.write(`${JSON.stringify({ file, mentions: mentions.map(toSpecMention) })}\n`);
  }
  if (files.length === 0) return usageError('no note files found (folders are searched for *.note, *.txt and *.md)');
  return failures > 0 && failures === files.length + unreadable.length ? 2 : 0;
}

/** Reads UTF-8 text; a file with NUL bytes is treated as binary and skipped rather than annotated as garbage. */
function readNote(file: string): string | { reason: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
  if (bytes.includes(0)) return { reason: 'not a text file (contains NUL bytes)' };
  return bytes.toString('utf8');
}

/** Only the spec's fields go out: provenance is for the editor, not for datasets. */
function toSpecMention(m: Mention): Mention {
  return { start: m.start, end: m.end, text: m.text, type: m.type, value: m.value, assertion: m.assertion };
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm annotate: ${message}\n`);
  return 2;
}
