// `cancerllm annotate`: annotates files and folders with the rule engine in parallel worker threads, applies curation
// sidecars, and prints JSON lines (input order) or writes an export into --out, resumably (see batch/run-batch.ts).
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { analyzeNote } from '@cancerllm/engine';
import { AnalysisPool, NOTES_PER_WORKER } from '../batch/pool.ts';
import { SILENT } from '../batch/progress.ts';
import { formatSummary, runBatch, type AnalyzeText } from '../batch/run-batch.ts';
import { EXPORT_FORMATS, isExportFormat } from '../export/formats.ts';
import { expandInputs } from '../files/note-files.ts';
import { checkBackend, parseCommandOptions } from './options.ts';
import { MODEL_OPTIONS, analyzeWithModel, openCliModel, type CliModel } from '../llm/cli-model.ts';

export async function runAnnotate(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, {
    format: { type: 'string', default: 'jsonl' },
    backend: { type: 'string', default: 'rules' },
    out: { type: 'string' },
    workers: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    ...MODEL_OPTIONS,
  });
  if (!parsed.ok) return usageError(parsed.message);
  const { values, positionals } = parsed;
  const backendProblem = checkBackend(values.backend, true);
  if (backendProblem) return usageError(backendProblem);
  const format = values.format;
  if (!isExportFormat(format))
    return usageError(`format "${String(format)}" is not available (available: ${EXPORT_FORMATS.join(', ')})`);
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  if (format !== 'jsonl' && !outDir) return usageError(`--format ${format} writes files: give a folder with --out DIR`);
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    return usageError(`--workers must be a whole number from 1 to 64 (got ${String(values.workers)})`);
  if (positionals.length === 0) return usageError('annotate needs at least one file or folder');

  const { files, unreadable } = expandInputs(positionals);
  for (const { path, reason } of unreadable) process.stderr.write(`cancerllm: skipped ${path}: ${reason}\n`);
  if (files.length === 0) return usageError('no note files found (folders are searched for *.note, *.txt and *.md)');

  let model: CliModel | undefined;
  if (values.backend === 'onnx' || values.backend === 'remote') {
    const opened = await openCliModel(values.backend, values);
    if (!opened.ok) return usageError(opened.message);
    model = opened.cli;
  }
  const pool =
    !model && files.length > 1 && existsSync(workerScript()) ? new AnalysisPool(workerScript(), workers) : undefined;
  const analyze: AnalyzeText = model
    ? (text) => analyzeWithModel(model, text, new AbortController().signal)
    : pool
      ? (text) => pool.analyze(text)
      : async (text) => analyzeNote(text);
  const started = Date.now();
  try {
    const summary = await runBatch({
      files,
      format,
      ...(outDir ? { outDir } : {}),
      baseDir: commonBase(positionals),
      analyze,
      // Enough notes read ahead to keep every worker holding its next one while results are written.
      concurrency: workers * (NOTES_PER_WORKER + 1),
      stdout: process.stdout,
      stderr: values.quiet ? SILENT : process.stderr,
    });
    if (!values.quiet || summary.failures.length > 0)
      process.stderr.write(`cancerllm: ${formatSummary(summary, (Date.now() - started) / 1000)}\n`);
    if (summary.annotated + summary.skipped === 0) return 2;
    return summary.failures.length > 0 && outDir ? 1 : 0;
  } finally {
    await pool?.close();
    await model?.dispose();
  }
}

/** The worker bundle beside this CLI bundle (dist/); absent when the CLI runs from sources, which then analyse inline. */
function workerScript(): string {
  return typeof __dirname === 'string' ? join(__dirname, 'analysis-worker.js') : '';
}

/** Export names are relative to the folder given (or to the current folder for files and several inputs). */
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
