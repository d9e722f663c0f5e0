// How the worker generates: 'steps' (one run() per token through Decoder + Generator; best on CPU, where tensors
// are shared with JavaScript without copies) or 'loop' (DecodeLoop: many steps per run(), so on CUDA the KV cache
// crosses the host once per chunk). Only one session is created either way: the loop model does its own prefill.
// The loop chooses tokens inside the graph, so it cannot apply an output constraint: such requests are refused
// with a message (callers see `ModelInfo.strategy` and leave the constraint out for 'loop').
import { parseModelFolder, type ModelFolder, type ModelFolderProblem } from '../model-folder.ts';
import {
  currentCudaEnvironment,
  diagnoseCuda,
  type CudaEnvironment,
  type SessionSettings,
} from '../execution-provider.ts';
import { Decoder } from '../decoder.ts';
import { generate, type DoneReason, type GenerationChunk, type GenerationParams } from '../generator.ts';
import { DEFAULT_CHUNK, DecodeLoop, writeDecodeLoopModel } from '../loop/loop-generator.ts';
import { generateBatch, refuseUnrunnable, type BatchResult } from '../batch-generator.ts';

export type StrategySetting = 'auto' | 'steps' | 'loop';

export interface LoadedGeneration {
  folder: ModelFolder;
  provider: 'cuda' | 'cpu';
  strategy: 'steps' | 'loop';
  /** Why CUDA or the loop is not in use where it was asked for. */
  notes: string[];
  /** CUDA was installed and tried but the model runs on the CPU (see ModelInfo.cudaFailed). */
  cudaFailed?: boolean;
  stream(
    tokens: readonly number[],
    params: GenerationParams,
    signal: AbortSignal,
  ): AsyncGenerator<GenerationChunk, DoneReason | 'aborted'>;
  batch(prompts: readonly (readonly number[])[], params: GenerationParams, signal: AbortSignal): Promise<BatchResult[]>;
  dispose(): Promise<void>;
}

export type LoadGenerationResult =
  | { ok: true; generation: LoadedGeneration }
  | { ok: false; problem: ModelFolderProblem };

async function steps(path: string, settings: SessionSettings, notes: string[]): Promise<LoadGenerationResult> {
  const loaded = await Decoder.load(path, settings);
  if (!loaded.ok) return loaded;
  const decoder = loaded.decoder;
  if (loaded.fallbackMessage) notes.unshift(loaded.fallbackMessage);
  return {
    ok: true,
    generation: {
      folder: decoder.folder,
      provider: decoder.provider,
      strategy: 'steps',
      notes,
      stream: (tokens, params, signal) => generate(decoder, tokens, params, signal),
      batch: (prompts, params, signal) => generateBatch(decoder, prompts, params, signal),
      dispose: () => decoder.dispose(),
    },
  };
}

export const CONSTRAINT_NEEDS_STEPS =
  'constrained (JSON) decoding needs host sampling, but this model generates with the decode loop, which samples ' +
  "inside the ONNX graph; open it with strategy 'steps' or send the request without a constraint";

/** An async generator that only fails, where a stream is expected. */
async function* refuseConstraint(): AsyncGenerator<GenerationChunk, DoneReason | 'aborted'> {
  throw new Error(CONSTRAINT_NEEDS_STEPS);
}

/**
 * 'auto' uses the loop when CUDA may be used (cuda or auto, with the provider files and CUDA libraries found) and
 * did load; a loop model that cannot be written (read-only folder) or loaded falls back to steps with a note. When
 * CUDA was found but the model still runs on the CPU, the result says so (`cudaFailed`): that needs telling.
 * `env`: where the CUDA files are looked for (tests pass their own).
 */
export async function loadGeneration(
  path: string,
  settings: SessionSettings,
  strategy: StrategySetting,
  chunkSize = DEFAULT_CHUNK,
  env: CudaEnvironment = currentCudaEnvironment(),
): Promise<LoadGenerationResult> {
  // auto: only where CUDA can plausibly load, so CPU-only machines never write or load a loop model
  const cudaPossible = (settings.executionProvider ?? 'auto') !== 'cpu' && diagnoseCuda(env) === undefined;
  const loaded = await loadOn(path, settings, strategy, chunkSize, cudaPossible);
  if (!loaded.ok || !cudaPossible || loaded.generation.provider !== 'cpu') return loaded;
  return { ok: true, generation: { ...loaded.generation, cudaFailed: true } };
}

async function loadOn(
  path: string,
  settings: SessionSettings,
  strategy: StrategySetting,
  chunkSize: number,
  cudaPossible: boolean,
): Promise<LoadGenerationResult> {
  const wantsLoop = strategy === 'loop' || (strategy === 'auto' && cudaPossible);
  if (!wantsLoop) return steps(path, settings, []);
  const parsed = await parseModelFolder(path);
  if (!parsed.ok) return parsed;
  let loop: DecodeLoop;
  try {
    loop = await DecodeLoop.open(parsed.folder, await writeDecodeLoopModel(parsed.folder), settings);
  } catch (error) {
    return steps(path, settings, [
      `decode loop unavailable, generating step by step: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  if (strategy === 'auto' && loop.provider === 'cpu') {
    // on CPU the loop gains nothing over steps; keep the simpler path
    await loop.dispose();
    return steps(path, settings, []);
  }
  return {
    ok: true,
    generation: {
      folder: parsed.folder,
      provider: loop.provider,
      strategy: 'loop',
      notes: loop.fallbackMessage ? [loop.fallbackMessage] : [],
      stream: (tokens, params, signal) =>
        params.constraint ? refuseConstraint() : loop.generate(tokens, { ...params, chunkSize }, signal),
      batch: async (prompts, params, signal) => {
        if (params.constraint) throw new Error(CONSTRAINT_NEEDS_STEPS);
        refuseUnrunnable(prompts, parsed.folder.contextLength);
        // one prompt after another (the loop model runs one sequence), each with seed + row as generateBatch numbers rows
        const results: BatchResult[] = [];
        for (let i = 0; i < prompts.length; i++) {
          const it = loop.generate(prompts[i] ?? [], { ...params, seed: (params.seed ?? 0) + i, chunkSize }, signal);
          const tokens: number[] = [];
          let text = '';
          for (let r = await it.next(); ; r = await it.next()) {
            if (r.done) {
              results.push({ tokens, text, reason: r.value });
              break;
            }
            tokens.push(r.value.token);
            text += r.value.text;
          }
        }
        return results;
      },
      dispose: () => loop.dispose(),
    },
  };
}
