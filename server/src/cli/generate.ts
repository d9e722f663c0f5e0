// `cancerllm generate diagnosis|treatment-plan <file|dir>...`: a draft per note from a local or remote model,
// printed as JSON lines {"file", "task", "model", "prompt", "text"} with a progress bar on stderr.
import { GenerationError } from '@cancerllm/model-runtime';
import type { DraftTask } from '@cancerllm/protocol';
import { BatchProgress, SILENT } from '../batch/progress.ts';
import { expandInputs, readNoteFile } from '../files/note-files.ts';
import { sectionsOf } from '../llm/draft-generation.ts';
import { withoutDrafts } from '../llm/drafts.ts';
import { MODEL_OPTIONS, MODEL_USAGE, openCliModel, type CliModel } from '../llm/cli-model.ts';
import type { TaskPrompt } from '../llm/prompts.ts';
import { completeText } from '../llm/text-model.ts';
import { parseCommandOptions } from './options.ts';

/**
 * Notes whose drafts are generated as one batch: a local model sampling on the host runs them side by side in each
 * decoder run, which shares the decoding steps (1.3× for 128-token drafts on a CPU, bench/RESULTS.md); its runtime
 * splits a batch further when the prompts are long. The CUDA decode loop runs them one after another.
 */
const DEFAULT_BATCH = 8;

export const GENERATE_USAGE = `generate diagnosis|treatment-plan <file|dir>... [--backend onnx|remote] ${MODEL_USAGE} [--batch N] [--quiet]
      Writes a diagnosis or treatment-plan draft per note with the model; prints one JSON line per note:
      {"file", "task", "model", "prompt", "text"} (model and prompt id@version recorded with every draft).
      --batch N: notes generated side by side by a local model (default ${DEFAULT_BATCH}).`;

const TASKS: readonly DraftTask[] = ['diagnosis', 'treatment-plan'];

export async function runGenerate(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, {
    backend: { type: 'string', default: 'onnx' },
    quiet: { type: 'boolean', default: false },
    batch: { type: 'string', default: String(DEFAULT_BATCH) },
    ...MODEL_OPTIONS,
  });
  if (!parsed.ok) return usageError(parsed.message);
  const { values, positionals } = parsed;
  const [task, ...inputs] = positionals;
  if (!TASKS.includes(task as DraftTask))
    return usageError(`the first argument must be diagnosis or treatment-plan (got ${JSON.stringify(task ?? '')})`);
  if (values.backend !== 'onnx' && values.backend !== 'remote')
    return usageError(`--backend must be onnx or remote (got ${String(values.backend)})`);
  if (inputs.length === 0) return usageError('generate needs at least one file or folder');
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 64)
    return usageError(`--batch must be a whole number from 1 to 64 (got ${String(values.batch)})`);
  const { files, unreadable } = expandInputs(inputs);
  for (const { path, reason } of unreadable) process.stderr.write(`cancerllm: skipped ${path}: ${reason}\n`);
  if (files.length === 0) return usageError('no note files found (folders are searched for *.note, *.txt and *.md)');

  const opened = await openCliModel(values.backend, values);
  if (!opened.ok) return usageError(opened.message);
  const { cli } = opened;
  const progress = new BatchProgress(files.length, values.quiet ? SILENT : process.stderr);
  let failures = 0;
  try {
    for (let first = 0; first < files.length; first += batchSize) {
      const group = files.slice(first, first + batchSize);
      const lines = await generateGroup(group, task as DraftTask, cli);
      lines.forEach((line, i) => {
        if ('error' in line) {
          failures++;
          process.stderr.write(`\ncancerllm: ${group[i] ?? ''}: ${line.error}\n`);
        } else process.stdout.write(`${JSON.stringify(line)}\n`);
        progress.tick();
      });
    }
  } finally {
    progress.finish();
    await cli.dispose();
  }
  return failures === files.length ? 1 : 0;
}

type GeneratedLine = { file: string; task: DraftTask; model: string; prompt: string; text: string } | { error: string };

/**
 * The drafts of a group of notes, in order: as one batch where the model can batch (rows side by side in each
 * decoder run), else one note after another. When a batch fails, its notes run alone, so that only the note at
 * fault reports an error.
 */
export async function generateGroup(files: readonly string[], task: DraftTask, cli: CliModel): Promise<GeneratedLine[]> {
  const prepared = files.map((file) => promptFor(file, task, cli));
  const runnable = prepared.filter((p): p is PreparedDraft => !('error' in p));
  const options = { maxNewTokens: cli.settings.model.maxNewTokens, stop: ['### Instruction:', '### Input:'] };
  const signal = new AbortController().signal;
  const alone = async (p: PreparedDraft): Promise<string | { error: string }> => {
    try {
      return await completeText(cli.model, p.prompt, options, signal);
    } catch (failure) {
      return { error: messageOf(failure) };
    }
  };
  const texts = new Map<PreparedDraft, string | { error: string }>();
  if (runnable.length > 1 && cli.model.completeAll) {
    try {
      const generated = await cli.model.completeAll(runnable.map((p) => p.prompt), options, signal);
      runnable.forEach((p, i) => texts.set(p, generated[i] ?? ''));
    } catch (error) {
      // A batch is refused as a whole when one note is too long for the context: alone, only that note fails. A
      // fault that leaves the model unusable fails every note without running them again.
      if (error instanceof GenerationError && error.recovery !== 'none')
        for (const p of runnable) texts.set(p, { error: messageOf(error) });
    }
  }
  for (const p of runnable) if (!texts.has(p)) texts.set(p, await alone(p));
  return prepared.map((p) => {
    if ('error' in p) return p;
    const text = texts.get(p) ?? '';
    if (typeof text !== 'string') return text;
    return { file: p.file, task, model: cli.model.name, prompt: p.promptId, text: text.trim() };
  });
}

interface PreparedDraft {
  file: string;
  prompt: TaskPrompt;
  promptId: string;
}

function promptFor(file: string, task: DraftTask, cli: CliModel): PreparedDraft | { error: string } {
  const read = readNoteFile(file);
  if (typeof read !== 'string') return { error: read.reason };
  const text = withoutDrafts(read);
  const format = task === 'treatment-plan' ? 'chat' : cli.settings.model.promptFormat;
  const rendered = cli.prompts.render(task, format, { sections: sectionsOf(text) });
  if (!rendered) return { error: `no prompt template for ${task}` };
  return { file, prompt: rendered.prompt, promptId: rendered.promptId };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm generate: ${message}\n`);
  return 2;
}
