// A TextModel over the model runtime's LlmWorker (a local ONNX model folder, generation in a worker thread).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LlmWorker, type GenerationParams, type Prompt, type WorkerOptions } from '@cancerllm/model-runtime';
import type { TaskPrompt } from './prompts.ts';
import type { CompletionOptions, ModelFallback, TextModel } from './text-model.ts';

export type LocalModelResult = { ok: true; model: LocalModel } | { ok: false; message: string };

export class LocalModel implements TextModel {
  private constructor(
    private readonly worker: LlmWorker,
    readonly name: string,
    private readonly hasChatTemplate: boolean,
  ) {}

  static async open(path: string, options: WorkerOptions = {}): Promise<LocalModelResult> {
    const workerUrl = bundledWorkerUrl();
    const opened = await LlmWorker.open(path, {
      executionProvider: 'auto',
      ...(workerUrl ? { workerUrl } : {}),
      ...options,
    });
    if (!opened.ok) return { ok: false, message: opened.problem.message };
    return { ok: true, model: new LocalModel(opened.worker, basename(path), folderHasChatTemplate(path)) };
  }

  async *complete(prompt: TaskPrompt, options: CompletionOptions, signal: AbortSignal): AsyncIterable<string> {
    for await (const chunk of this.worker.generate(this.toRuntimePrompt(prompt), this.paramsFor(options), signal)) {
      if (signal.aborted) return;
      if (chunk.text) yield chunk.text;
    }
  }

  /** One batch job in the worker: rows share each run() where the model allows (see the runtime's generateBatch). */
  async completeAll(prompts: readonly TaskPrompt[], options: CompletionOptions, signal: AbortSignal): Promise<string[]> {
    const runtimePrompts = prompts.map((prompt) => this.toRuntimePrompt(prompt));
    const results = await this.worker.generateBatch(runtimePrompts, this.paramsFor(options), signal);
    return results.map((result) => result.text);
  }

  private paramsFor(options: CompletionOptions): GenerationParams {
    return {
      maxNewTokens: options.maxNewTokens,
      ...(options.stop ? { stopStrings: options.stop } : {}),
      ...(options.json && this.constrains ? { constraint: { kind: 'json', schema: options.json } } : {}),
    };
  }

  /**
   * Chat prompts go through the model's chat template when it has one; a model without one (CancerLLM's weights
   * were instruction-tuned on Alpaca prompts) gets the message in the Alpaca format instead.
   */
  private toRuntimePrompt(prompt: TaskPrompt): Prompt {
    if (prompt.kind === 'text') return { text: prompt.text };
    return this.hasChatTemplate
      ? { messages: [{ role: 'user', content: prompt.user }] }
      : { text: alpacaPrompt(prompt.user) };
  }

  /** From the runtime's ModelInfo: why CUDA or the decode loop is not in use, and whether CUDA was expected. */
  get fallback(): ModelFallback | undefined {
    const { fallbackMessage, cudaFailed } = this.worker.info;
    return fallbackMessage ? { message: fallbackMessage, unexpected: cudaFailed === true } : undefined;
  }

  /**
   * JSON answers are constrained while decoding when the model samples on the host ('steps'); the CUDA decode
   * loop samples inside its graph, so there the answer is generated freely and only parsed defensively.
   */
  get constrains(): boolean {
    return this.worker.info.strategy === 'steps';
  }

  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}

/**
 * Whether tokenizer_config.json has a chat_template. The runtime's ModelInfo does not say (its ChatTokenizer knows,
 * inside the worker), so this layer reads the file itself.
 */
function folderHasChatTemplate(path: string): boolean {
  const file = join(path, 'tokenizer_config.json');
  if (!existsSync(file)) return false;
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as { chat_template?: unknown };
    return config.chat_template !== undefined && config.chat_template !== null;
  } catch {
    // the runtime reports a broken tokenizer_config.json when it opens the folder; here it only means no template
    return false;
  }
}

/**
 * The generation worker bundle beside the running bundle (dist/llm-worker.mjs, see model-runtime/README.md,
 * "Bundling note"); undefined when running from sources, where the runtime finds its own worker.
 */
function bundledWorkerUrl(): URL | undefined {
  const script = process.argv[1];
  if (!script) return undefined;
  const candidate = join(dirname(script), 'llm-worker.mjs');
  return existsSync(candidate) ? pathToFileURL(candidate) : undefined;
}

/** The Alpaca instruction format (Taori et al., 2023) without an input section. */
export function alpacaPrompt(instruction: string): string {
  return (
    'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n' +
    `### Instruction:\n${instruction}\n\n### Response:\n`
  );
}
