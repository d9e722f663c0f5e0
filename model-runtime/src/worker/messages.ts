// Messages between LlmWorker (caller's thread) and the generation worker. Plain structured-clone data only.
import type { ModelFolderProblem } from '../model-folder.ts';
import type { SessionSettings } from '../execution-provider.ts';
import type { StrategySetting } from './generation-strategy.ts';
import type { DoneReason, GenerationChunk, GenerationParams } from '../generator.ts';
import type { ChatMessage } from '../tokenizer.ts';
import type { BatchResult } from '../batch-generator.ts';

/** User-triggered requests run before queued background work (never preempting the one running). */
export type Priority = 'user' | 'background';

export interface WorkerData {
  modelPath: string;
  settings: SessionSettings;
  strategy: StrategySetting;
  chunkSize?: number;
}

/** What to generate from: raw text (special tokens added), a chat (rendered with the template), or token ids. */
export type Prompt = { text: string } | { messages: readonly ChatMessage[] } | { tokens: readonly number[] };

export interface ModelInfo {
  path: string;
  layout: 'genai' | 'optimum';
  provider: 'cuda' | 'cpu';
  /** 'loop': many decode steps per run() (CUDA); 'steps': one run() per token. */
  strategy: 'steps' | 'loop';
  /** Why CUDA (or the decode loop) is not in use where it was asked for. */
  fallbackMessage?: string;
  /**
   * CUDA was installed (provider files and libraries found) and tried, but the model runs on the CPU: unlike a
   * machine without CUDA, the user expects the GPU here and should be told, not only the log.
   */
  cudaFailed?: boolean;
  contextLength: number;
  vocabSize: number;
  weights: 'fp32' | 'fp16' | 'int4';
  weightBytes: number;
}

/** `params.constraint` is a plain description (a JSON schema subset); the worker builds the logits processor. */
export type ToWorker =
  | { type: 'generate'; id: number; prompt: Prompt; params: GenerationParams; priority: Priority }
  | { type: 'generate-batch'; id: number; prompts: readonly Prompt[]; params: GenerationParams; priority: Priority }
  | { type: 'encode'; id: number; prompt: Prompt }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'load-failed'; problem: ModelFolderProblem }
  | { type: 'chunk'; id: number; chunk: GenerationChunk }
  | { type: 'done'; id: number; reason: DoneReason | 'aborted'; promptTokens: number }
  | { type: 'batch-done'; id: number; results: BatchResult[] }
  | { type: 'encoded'; id: number; tokens: number[] }
  /** `detail`: a runtime fault's shortened ONNX Runtime message (runtime-errors.ts), for its owner's own wording. */
  | { type: 'error'; id: number; message: string; name: string; detail?: string };
