// What the LLM tasks need from a model, local or remote: a name for provenance and a cancellable text stream.
import type { JsonSchema } from '@cancerllm/model-runtime';
import type { TaskPrompt } from './prompts.ts';

export interface CompletionOptions {
  maxNewTokens: number;
  /** Generation ends before any of these. */
  stop?: readonly string[];
  /**
   * The answer is JSON of this shape. A backend that can constrain decoding does (the local model with host
   * sampling); the others generate freely, and callers parse defensively either way.
   */
  json?: JsonSchema;
}

/** Why a model does not run as it was asked to, e.g. on the CPU because CUDA could not load. */
export interface ModelFallback {
  message: string;
  /** The user expected otherwise (CUDA was installed but failed): tell them, not only the log. */
  unexpected: boolean;
}

export interface TextModel {
  /** Recorded with every result and shown in drafts, e.g. "CancerLLM-7B" or the model folder's name. */
  readonly name: string;
  /** Set when the model opened, but not as asked (a local model on the CPU instead of the GPU). */
  readonly fallback?: ModelFallback;
  /** Streams text pieces; ends early (without throwing) when `signal` aborts. Throws an Error with a message a user can act on. */
  complete(prompt: TaskPrompt, options: CompletionOptions, signal: AbortSignal): AsyncIterable<string>;
  /**
   * Completes several prompts as one job and returns the answers in order. A local model runs them side by side in
   * each decoder run (batched generation), which raises throughput over one completion after another. Optional:
   * completeTexts falls back to `complete`. When `signal` aborts it returns early (unfinished answers partial).
   */
  completeAll?(prompts: readonly TaskPrompt[], options: CompletionOptions, signal: AbortSignal): Promise<string[]>;
  dispose(): Promise<void>;
}

/** Runs a completion to its end and returns the whole text. */
export async function completeText(
  model: TextModel,
  prompt: TaskPrompt,
  options: CompletionOptions,
  signal: AbortSignal,
): Promise<string> {
  let text = '';
  for await (const piece of model.complete(prompt, options, signal)) text += piece;
  return text;
}

/** Each prompt's whole answer, in order: as one batch where the model can batch, else one after another. */
export async function completeTexts(
  model: TextModel,
  prompts: readonly TaskPrompt[],
  options: CompletionOptions,
  signal: AbortSignal,
): Promise<string[]> {
  if (model.completeAll && prompts.length > 1) return model.completeAll(prompts, options, signal);
  const answers: string[] = [];
  for (const prompt of prompts) {
    if (signal.aborted) break;
    answers.push(await completeText(model, prompt, options, signal));
  }
  return answers;
}
