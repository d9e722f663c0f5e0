// `cancerllm generate diagnosis|treatment-plan <file|dir>...`: a draft per note from a local or remote model,
// printed as JSON lines {"file", "task", "model", "prompt", "text"} with a progress bar on stderr.
import type { DraftTask } from '@cancerllm/protocol';
import { BatchProgress, SILENT } from '../batch/progress.ts';
import { expandInputs, readNoteFile } from '../files/note-files.ts';
import { sectionsOf } from '../llm/draft-generation.ts';
import { withoutDrafts } from '../llm/drafts.ts';
import { MODEL_OPTIONS, MODEL_USAGE, openCliModel, type CliModel } from '../llm/cli-model.ts';
import { completeText } from '../llm/text-model.ts';
import { parseCommandOptions } from './options.ts';

export const GENERATE_USAGE = `generate diagnosis|treatment-plan <file|dir>... [--backend onnx|remote] ${MODEL_USAGE} [--quiet]
      Writes a diagnosis or treatment-plan draft per note with the model; prints one JSON line per note:
      {"file", "task", "model", "prompt", "text"} (model and prompt id@version recorded with every draft).`;

const TASKS: readonly DraftTask[] = ['diagnosis', 'treatment-plan'];

export async function runGenerate(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, {
    backend: { type: 'string', default: 'onnx' },
    quiet: { type: 'boolean', default: false },
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
  const { files, unreadable } = expandInputs(inputs);
  for (const { path, reason } of unreadable) process.stderr.write(`cancerllm: skipped ${path}: ${reason}\n`);
  if (files.length === 0) return usageError('no note files found (folders are searched for *.note, *.txt and *.md)');

  const opened = await openCliModel(values.backend, values);
  if (!opened.ok) return usageError(opened.message);
  const { cli } = opened;
  const progress = new BatchProgress(files.length, values.quiet ? SILENT : process.stderr);
  let failures = 0;
  try {
    for (const file of files) {
      const line = await generateOne(file, task as DraftTask, cli);
      if ('error' in line) {
        failures++;
        process.stderr.write(`\ncancerllm: ${file}: ${line.error}\n`);
      } else process.stdout.write(`${JSON.stringify(line)}\n`);
      progress.tick();
    }
  } finally {
    progress.finish();
    await cli.dispose();
  }
  return failures === files.length ? 1 : 0;
}

type GeneratedLine = { file: string; task: DraftTask; model: string; prompt: string; text: string } | { error: string };

async function generateOne(file: string, task: DraftTask, cli: CliModel): Promise<GeneratedLine> {
  const read = readNoteFile(file);
  if (typeof read !== 'string') return { error: read.reason };
  const text = withoutDrafts(read);
  const format = task === 'treatment-plan' ? 'chat' : cli.settings.model.promptFormat;
  const rendered = cli.prompts.render(task, format, { sections: sectionsOf(text) });
  if (!rendered) return { error: `no prompt template for ${task}` };
  try {
    const generated = await completeText(
      cli.model,
      rendered.prompt,
      { maxNewTokens: cli.settings.model.maxNewTokens, stop: ['### Instruction:', '### Input:'] },
      new AbortController().signal,
    );
    return { file, task, model: cli.model.name, prompt: rendered.promptId, text: generated.trim() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm generate: ${message}\n`);
  return 2;
}
