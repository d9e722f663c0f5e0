// Batch annotation of many notes: analysis in a pool of worker threads, curation sidecars applied, outputs written
// atomically per note, a manifest so a re-run skips finished notes and redoes partial ones, progress on stderr, and
// a summary at the end. Unreadable and binary files are reported and skipped, never fatal.
import { mkdirSync, readFileSync } from 'node:fs';
import { PHENOTYPE_TYPES, type Mention, type PhenotypeType } from '@cancerllm/protocol';
import type { AnalysisResult } from '@cancerllm/engine';
import { CurationStore } from '../curation/store.ts';
import { jsonlLine, noteOutputs, type ExportFormat } from '../export/formats.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { readNoteFile } from '../files/note-files.ts';
import { Manifest } from './manifest.ts';
import { BatchProgress, type ProgressStream } from './progress.ts';
import { dirname, join } from 'node:path';

export type AnalyzeText = (text: string) => Promise<AnalysisResult>;

export interface BatchOptions {
  files: readonly string[];
  format: ExportFormat;
  /** Without an output folder, JSON lines go to stdout in input order. */
  outDir?: string;
  baseDir: string;
  analyze: AnalyzeText;
  /** How many notes may be in flight at once (read, analysed, not yet written). */
  concurrency: number;
  stdout: NodeJS.WritableStream;
  stderr: ProgressStream;
}

export interface BatchSummary {
  annotated: number;
  skipped: number;
  failures: Array<{ file: string; reason: string }>;
  mentionsPerType: Partial<Record<PhenotypeType, number>>;
}

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const { files, format, outDir } = options;
  const summary: BatchSummary = { annotated: 0, skipped: 0, failures: [], mentionsPerType: {} };
  const curation = new CurationStore();
  const manifest = outDir ? openManifest(outDir) : undefined;
  const progress = new BatchProgress(files.length, options.stderr);
  const todo = files.filter((file) => {
    if (manifest?.isDone(file, format)) {
      summary.skipped++;
      progress.tick();
      return false;
    }
    return true;
  });

  // Results are emitted in input order (stdout mode), while up to `concurrency` notes are analysed at once.
  const results = new Map<number, Mention[] | undefined>();
  let nextToEmit = 0;
  const emitReady = (): void => {
    while (results.has(nextToEmit)) {
      const mentions = results.get(nextToEmit);
      results.delete(nextToEmit);
      if (mentions && !outDir) options.stdout.write(`${jsonlLine({ file: todo[nextToEmit]!, mentions })}\n`);
      nextToEmit++;
    }
  };
  let cursor = 0;
  const worker = async (): Promise<void> => {
    while (cursor < todo.length) {
      const index = cursor++;
      const file = todo[index]!;
      results.set(index, await annotateOne(file));
      progress.tick();
      emitReady();
    }
  };
  const annotateOne = async (file: string): Promise<Mention[] | undefined> => {
    const text = readNoteFile(file);
    if (typeof text !== 'string') {
      summary.failures.push({ file, reason: text.reason });
      return undefined;
    }
    try {
      const { mentions: found } = await options.analyze(text);
      const merged = curation.merge(file, text, found);
      if (merged.problem) summary.failures.push({ file, reason: `${merged.problem}; exported without its curation` });
      if (outDir && manifest) {
        const outputs = noteOutputs({ file, text, mentions: merged.mentions }, format, outDir, options.baseDir);
        for (const output of outputs) {
          mkdirSync(dirname(output.path), { recursive: true });
          writeFileAtomic(output.path, output.content);
        }
        manifest.record(file, format, outputs.map((o) => o.path));
      }
      summary.annotated++;
      for (const m of merged.mentions) summary.mentionsPerType[m.type] = (summary.mentionsPerType[m.type] ?? 0) + 1;
      return merged.mentions;
    } catch (error) {
      summary.failures.push({ file, reason: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  progress.finish();
  if (outDir && manifest && format === 'jsonl') combineJsonl(files, manifest, outDir, summary);
  return summary;
}

function openManifest(outDir: string): Manifest {
  mkdirSync(outDir, { recursive: true });
  return new Manifest(outDir);
}

/** One annotations.jsonl from the per-note parts of every finished note, in input order, written atomically. */
function combineJsonl(files: readonly string[], manifest: Manifest, outDir: string, summary: BatchSummary): void {
  const lines: string[] = [];
  for (const file of files) {
    for (const part of manifest.outputsOf(file)) {
      try {
        lines.push(readFileSync(part, 'utf8'));
      } catch (error) {
        summary.failures.push({ file, reason: `its part ${part} could not be read: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }
  writeFileAtomic(join(outDir, 'annotations.jsonl'), lines.join(''));
}

export function formatSummary(summary: BatchSummary, seconds: number): string {
  const lines = [
    `annotated ${summary.annotated} note(s) in ${seconds.toFixed(1)} s${summary.skipped ? `, skipped ${summary.skipped} already done` : ''}, ${summary.failures.length} failure(s)`,
  ];
  const perType = PHENOTYPE_TYPES.filter((type) => summary.mentionsPerType[type]).map((type) => `${type} ${summary.mentionsPerType[type]}`);
  if (perType.length > 0) lines.push(`mentions: ${perType.join(', ')}`);
  for (const failure of summary.failures) lines.push(`  failed: ${failure.file}: ${failure.reason}`);
  return lines.join('\n');
}
