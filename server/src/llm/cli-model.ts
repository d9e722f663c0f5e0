// The command line's view of the LLM backends: flags → settings → a model, and note analysis with a model.
// The API key of a remote server comes from the CANCERLLM_API_KEY environment variable, never a flag (flags show
// in process lists and shell history).
import { analyzeNote, parseNote, type AnalysisResult } from '@cancerllm/engine';
import { REMOTE_API_KEY_ENV as API_KEY_ENV } from '@cancerllm/protocol';
import { DEFAULT_SETTINGS, settingsFrom, type NoteSettings } from '../settings.ts';
import { merge } from './llm-analyzer.ts';
import { ModelHost } from './model-host.ts';
import { PromptLibrary, type PromptSet } from './prompts.ts';
import { extractSection } from './section-extraction.ts';
import type { TextModel } from './text-model.ts';

/** Options shared by the subcommands that run a model (node:util parseArgs format). */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  url: { type: 'string' },
  'remote-model': { type: 'string' },
  prompts: { type: 'string' },
  'prompt-format': { type: 'string' },
  'max-new-tokens': { type: 'string' },
} as const;

export const MODEL_USAGE = `--model DIR (onnx) | --url URL --remote-model NAME (remote; API key from $${API_KEY_ENV})
      [--prompts DIR] [--prompt-format alpaca|chat] [--max-new-tokens N]`;

export interface CliModel {
  model: TextModel;
  prompts: PromptSet;
  settings: NoteSettings;
  dispose(): Promise<void>;
}

export type CliModelResult = { ok: true; cli: CliModel } | { ok: false; message: string };

export async function openCliModel(
  backend: 'onnx' | 'remote',
  values: Record<string, string | boolean | undefined>,
): Promise<CliModelResult> {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const maxNewTokens = text('max-new-tokens');
  const { settings, problems } = settingsFrom({
    model: {
      backend,
      path: text('model'),
      promptsPath: text('prompts'),
      promptFormat: text('prompt-format'),
      maxNewTokens: maxNewTokens === undefined ? undefined : Number(maxNewTokens),
    },
    remote: {
      url: text('url'),
      model: text('remote-model'),
      timeoutMs: DEFAULT_SETTINGS.remote.timeoutMs,
      retries: DEFAULT_SETTINGS.remote.retries,
    },
  });
  if (problems.length > 0)
    return { ok: false, message: problems.join(' ').replace(/cancerllm\.(?:model|remote)\./g, '--') };
  const prompts = new PromptLibrary().get(settings.model.promptsPath);
  if (!prompts.ok) return { ok: false, message: `prompt templates: ${prompts.message}` };
  const host = new ModelHost();
  const state = await host.acquire(settings);
  if (state.state !== 'ready') {
    const flag = backend === 'onnx' ? '--model DIR' : '--url URL';
    return { ok: false, message: state.state === 'none' ? `backend ${backend} needs ${flag}` : state.message };
  }
  return { ok: true, cli: { model: state.model, prompts: prompts.prompts, settings, dispose: () => host.dispose() } };
}

/** The model's mentions, section by section, normalized by the rule engine's overlapping mentions. */
export async function analyzeWithModel(
  cli: CliModel,
  text: string,
  signal: AbortSignal,
): Promise<AnalysisResult & { unaligned: number }> {
  const rules = analyzeNote(text);
  const sections = parseNote(text).sections.filter((s) => s.level === 1 && s.end > s.start);
  const spans = sections.length > 0 ? sections : [{ start: 0, end: text.length }];
  const found = [];
  let unaligned = 0;
  for (const span of spans) {
    const result = await extractSection(
      cli.model,
      cli.prompts,
      cli.settings.model.promptFormat,
      text,
      { start: span.start, end: span.end },
      signal,
    );
    found.push(...result.mentions);
    unaligned += result.unaligned;
  }
  return { mentions: merge(rules.mentions, found, false), problems: rules.problems, unaligned };
}
