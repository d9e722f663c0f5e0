// Generation in chunks through a decode-loop model: one session.run() per chunk of tokens instead of one
// per token, so on CUDA the KV cache crosses the host once per chunk. Same result as the step-by-step Generator
// with the same sampling parameters and seed; stop strings and the AbortSignal are checked between chunks.
import { readFile, writeFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { decodeModel, encodeModel } from '../onnx/onnx-proto.ts';
import type { ModelFolder } from '../model-folder.ts';
import { openSession, type SessionSettings } from '../execution-provider.ts';
import { ContextLengthError } from '../decoder.ts';
import { KvCache } from '../kv-cache.ts';
import { TextStream } from '../text-stream.ts';
import type { DoneReason, GenerationChunk } from '../generator.ts';
import { mulberry32 } from '../builder/weights.ts';
import type { SamplingParams } from '../sampling.ts';
import { LOOP_IO, LOOP_MODEL_SUFFIX, buildDecodeLoop } from './decode-loop-graph.ts';

/** Writes `<model>.loop.onnx` beside the decoder; it points into the decoder's external data file. */
export async function writeDecodeLoopModel(folder: ModelFolder): Promise<string> {
  const decoder = decodeModel(await readFile(folder.modelPath));
  const path = folder.modelPath.replace(/\.onnx$/, LOOP_MODEL_SUFFIX);
  await writeFile(path, encodeModel(buildDecodeLoop(decoder, folder.io)));
  return path;
}

/**
 * Tokens per run() unless asked otherwise. At 2 k context a 7B KV round trip costs ~220 ms on the H200, so 64
 * tokens per chunk bring it to ~3.4 ms/token, and text still streams about every 0.25 s.
 */
export const DEFAULT_CHUNK = 64;

export interface LoopGenerationParams extends SamplingParams {
  maxNewTokens: number;
  /** Tokens per run(): larger amortizes the KV round trip further, smaller streams more often. */
  chunkSize?: number;
  stopStrings?: readonly string[];
  stopTokenIds?: readonly number[];
}

export class DecodeLoop {
  private constructor(
    readonly folder: ModelFolder,
    private session: ort.InferenceSession | undefined,
    readonly provider: 'cuda' | 'cpu',
    readonly fallbackMessage: string | undefined,
  ) {}

  static async open(folder: ModelFolder, loopModelPath: string, settings: SessionSettings = {}): Promise<DecodeLoop> {
    const opened = await openSession(loopModelPath, settings);
    return new DecodeLoop(folder, opened.session, opened.provider, opened.fallbackMessage);
  }

  /** One run: decoder over `tokens` after the cache, then up to maxNew - 1 more steps in the graph. */
  async chunk(
    tokens: readonly number[],
    cache: KvCache,
    maxNew: number,
    stopIds: readonly number[],
    sampling: SamplingParams = {},
    random: () => number = Math.random,
    /** false for the last chunk of a request: only the tokens are fetched, so the KV cache never leaves the device. */
    keepCache = true,
  ): Promise<number[]> {
    const session = this.session;
    if (!session) throw new Error('DecodeLoop used after dispose()');
    const L = this.folder.numLayers;
    const past = cache.feeds();
    const feeds: Record<string, ort.Tensor> = {
      [LOOP_IO.inputIds]: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [1, tokens.length]),
      [LOOP_IO.maxNewTokens]: new ort.Tensor('int64', BigInt64Array.from([BigInt(maxNew)]), []),
      [LOOP_IO.eosTokenIds]: new ort.Tensor('int64', BigInt64Array.from(stopIds.length ? stopIds : [-1], BigInt), [
        Math.max(1, stopIds.length),
      ]),
      [LOOP_IO.sampling]: new ort.Tensor(
        'float32',
        Float32Array.from([sampling.temperature ?? 0, sampling.topP ?? 1]),
        [2],
      ),
      [LOOP_IO.topK]: new ort.Tensor(
        'int64',
        BigInt64Array.from([
          BigInt(
            sampling.topK && sampling.topK > 0 ? Math.min(sampling.topK, this.folder.vocabSize) : this.folder.vocabSize,
          ),
        ]),
        [],
      ),
      // one draw per token, in order, as TokenSampler draws them; greedy requests draw none
      [LOOP_IO.uniforms]: new ort.Tensor(
        'float32',
        Float32Array.from({ length: maxNew }, () => (sampling.temperature && sampling.temperature > 0 ? random() : 0)),
        [maxNew],
      ),
    };
    for (let l = 0; l < L; l++) {
      feeds[LOOP_IO.pastKey(l)] = past[this.folder.io.pastKeys[l] ?? ''] as ort.Tensor;
      feeds[LOOP_IO.pastValue(l)] = past[this.folder.io.pastValues[l] ?? ''] as ort.Tensor;
    }
    const out = keepCache ? await session.run(feeds) : await session.run(feeds, [LOOP_IO.tokens]);
    const produced = Array.from(out[LOOP_IO.tokens]?.data as BigInt64Array, Number);
    if (!keepCache) {
      cache.reset(); // what it held is stale now; the caller ends the request with this chunk
      return produced;
    }
    const presents: Record<string, ort.Tensor> = {};
    for (let l = 0; l < L; l++) {
      presents[this.folder.io.presentKeys[l] ?? ''] = out[LOOP_IO.presentKey(l)] as ort.Tensor;
      presents[this.folder.io.presentValues[l] ?? ''] = out[LOOP_IO.presentValue(l)] as ort.Tensor;
    }
    // the cache now holds the input tokens and every produced token except the last
    cache.update(presents, tokens.length + produced.length - 1);
    return produced;
  }

  /** Streams chunk by chunk (greedy or seeded sampling, chosen in the graph); the return value says why it ended. */
  async *generate(
    prompt: readonly number[],
    params: LoopGenerationParams,
    signal?: AbortSignal,
  ): AsyncGenerator<GenerationChunk, DoneReason | 'aborted'> {
    const contextLength = this.folder.contextLength;
    if (prompt.length + 1 > contextLength) throw new ContextLengthError(prompt.length + 1, contextLength);
    const cache = new KvCache(this.folder);
    const stopIds = params.stopTokenIds ?? this.folder.eosTokenIds;
    const tokenizer = this.folder.tokenizer;
    const stream = new TextStream((ids) => tokenizer.decode(ids), params.stopStrings ?? []);
    const generated: number[] = [];
    const random = mulberry32(params.seed ?? 0);
    let input = [...prompt];
    try {
      for (;;) {
        if (signal?.aborted) return 'aborted';
        // running `input` then want - 1 loop steps fills cache.length + input.length + want - 1 positions
        const room = contextLength - cache.length - input.length + 1;
        if (room <= 0) return 'context-full';
        const remaining = params.maxNewTokens - generated.length;
        const want = Math.min(params.chunkSize ?? DEFAULT_CHUNK, remaining, room);
        // a chunk that reaches the token or context limit is the last: its KV cache is never needed on the host
        const last = want === remaining || want === room;
        const produced = await this.chunk(input, cache, want, stopIds, params, random, !last);
        for (let i = 0; i < produced.length; i++) {
          const token = produced[i] ?? 0;
          generated.push(token);
          if (stopIds.includes(token)) {
            yield { token, text: stream.flush() };
            return 'eos';
          }
          const text = stream.update(generated);
          if (stream.stopped) {
            yield { token, text };
            return 'stop-string';
          }
          if (last && i === produced.length - 1) {
            yield { token, text: text + stream.flush() };
            return want === remaining ? 'max-new-tokens' : 'context-full';
          }
          yield { token, text };
        }
        input = [produced[produced.length - 1] ?? 0];
      }
    } finally {
      cache.dispose();
    }
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.release();
  }
}
