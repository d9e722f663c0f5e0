// One loaded decoder: a model folder plus its onnxruntime session. forward() runs new tokens against a KvCache and
// returns their logits; names and types of inputs and outputs all come from the folder.
import ort from 'onnxruntime-node';
import { halfToFloats } from './onnx/float16.ts';
import { parseModelFolder, type ModelFolder, type ModelFolderProblem } from './model-folder.ts';
import { openSession, type SessionSettings } from './execution-provider.ts';
import { KvCache } from './kv-cache.ts';

/** A prompt plus generation that would not fit the model's context; never silently truncated. */
export class ContextLengthError extends Error {
  constructor(
    readonly needed: number,
    readonly contextLength: number,
  ) {
    super(
      `the prompt needs ${needed} tokens but the model's context holds ${contextLength}; shorten the note or split it by section`,
    );
    this.name = 'ContextLengthError';
  }
}

/** Prompt tokens per run() during prefill. */
export const PREFILL_SLICE = 256;

export type LoadResult =
  | { ok: true; decoder: Decoder; fallbackMessage?: string }
  | { ok: false; problem: ModelFolderProblem };

const int64 = (values: readonly number[]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);

export class Decoder {
  private constructor(
    readonly folder: ModelFolder,
    private session: ort.InferenceSession | undefined,
    readonly provider: 'cuda' | 'cpu',
  ) {}

  /** Parses the folder, then creates the session; a broken folder is a problem value, not an exception. */
  static async load(path: string, settings: SessionSettings = {}): Promise<LoadResult> {
    const parsed = await parseModelFolder(path);
    if (!parsed.ok) return parsed;
    const opened = await openSession(parsed.folder.modelPath, settings);
    const decoder = new Decoder(parsed.folder, opened.session, opened.provider);
    return opened.fallbackMessage
      ? { ok: true, decoder, fallbackMessage: opened.fallbackMessage }
      : { ok: true, decoder };
  }

  newCache(batch = 1): KvCache {
    return new KvCache(this.folder, batch);
  }

  /**
   * Runs `tokens` after what `cache` holds and returns logits for every new position ([tokens.length × vocab],
   * float32). Throws ContextLengthError before running when the context would overflow.
   */
  async forward(tokens: readonly number[], cache: KvCache): Promise<Float32Array> {
    const session = this.session;
    if (!session) throw new Error('Decoder used after dispose()');
    if (tokens.length === 0) throw new Error('forward() needs at least one token');
    const total = cache.length + tokens.length;
    if (total > this.folder.contextLength) throw new ContextLengthError(total, this.folder.contextLength);
    const io = this.folder.io;
    const feeds: Record<string, ort.Tensor> = {
      ...cache.feeds(),
      [io.inputIds]: int64(tokens),
      [io.attentionMask]: int64(new Array<number>(total).fill(1)),
    };
    if (io.positionIds) feeds[io.positionIds] = int64(tokens.map((_, i) => cache.length + i));
    if (io.useCacheBranch)
      feeds[io.useCacheBranch] = new ort.Tensor('bool', Uint8Array.from([cache.length > 0 ? 1 : 0]), [1]);
    const outputs = await session.run(feeds);
    cache.update(outputs, tokens.length);
    const logits = outputs[io.logits];
    if (!logits) throw new Error(`the model returned no "${io.logits}"`);
    const data = logits.type === 'float16' ? halfToFloats(logits.data as Uint16Array) : (logits.data as Float32Array);
    logits.dispose();
    return data;
  }

  /**
   * Where a batch's shorter prompts are padded. Right for GroupQueryAttention (genai layout): it places each row's
   * tokens by the row's count of real tokens (the mask's sum), so they must come first. Left for other attention
   * with position_ids (Optimum layout): each row's positions are counted past its padding. Undefined for a model
   * with neither, whose rows cannot share a run.
   */
  get batchPadding(): 'left' | 'right' | undefined {
    if (this.folder.groupQueryAttention) return 'right';
    return this.folder.io.positionIds ? 'left' : undefined;
  }

  /**
   * Runs one block of `rows` (equal lengths, padded on the batchPadding side; `mask` covers the cache and the new
   * tokens, 0 for padding and for rows that stopped) and returns logits of each row's last real position,
   * [rows.length × vocab]. A stopped row's padding may overwrite its own cache entries: its cache is done with.
   */
  async forwardBatch(
    rows: readonly (readonly number[])[],
    mask: readonly (readonly number[])[],
    cache: KvCache,
  ): Promise<Float32Array> {
    const session = this.session;
    if (!session) throw new Error('Decoder used after dispose()');
    const io = this.folder.io;
    const padding = this.batchPadding;
    if (!padding) throw new Error('batched generation needs GroupQueryAttention or position_ids');
    const B = rows.length;
    const S = rows[0]?.length ?? 0;
    const T = mask[0]?.length ?? 0;
    if (T > this.folder.contextLength) throw new ContextLengthError(T, this.folder.contextLength);
    const flat = (m: readonly (readonly number[])[], dims: number[]): ort.Tensor =>
      new ort.Tensor('int64', BigInt64Array.from(m.flat(), BigInt), dims);
    const feeds: Record<string, ort.Tensor> = {
      ...cache.feeds(),
      [io.inputIds]: flat(rows, [B, S]),
      [io.attentionMask]: flat(mask, [B, T]),
    };
    if (io.positionIds) {
      // positions count only real tokens (on either padding side); padding gets position 0 (masked anyway)
      const positions = mask.map((m) => {
        let p = m.slice(0, T - S).reduce((a, b) => a + b, 0);
        return m.slice(T - S).map((v) => (v ? p++ : 0));
      });
      feeds[io.positionIds] = flat(positions, [B, S]);
    }
    if (io.useCacheBranch)
      feeds[io.useCacheBranch] = new ort.Tensor('bool', Uint8Array.from([cache.length > 0 ? 1 : 0]), [1]);
    const prefill = cache.length === 0;
    const outputs = await session.run(feeds);
    cache.update(outputs, S);
    const logits = outputs[io.logits];
    if (!logits) throw new Error(`the model returned no "${io.logits}"`);
    const all = logits.type === 'float16' ? halfToFloats(logits.data as Uint16Array) : (logits.data as Float32Array);
    logits.dispose();
    const V = this.folder.vocabSize;
    const last = new Float32Array(B * V);
    for (let b = 0; b < B; b++) {
      // a right-padded prompt's last real token is at its length; later runs add one token to every row
      const real = mask[b]?.reduce((a, v) => a + v, 0) ?? S;
      const at = padding === 'right' && prefill ? Math.max(0, real - 1) : S - 1;
      last.set(all.subarray((b * S + at) * V, (b * S + at + 1) * V), b * V);
    }
    return last;
  }

  /**
   * Logits of the last of `tokens` only. Long inputs run in slices of `sliceLength` tokens (chunked prefill), so
   * the [slice × vocab] logits of a long prompt never exist all at once (2 k tokens × 32 k vocab would be 262 MB).
   */
  async forwardLast(tokens: readonly number[], cache: KvCache, sliceLength = PREFILL_SLICE): Promise<Float32Array> {
    const V = this.folder.vocabSize;
    let last: Float32Array = new Float32Array(0);
    for (let start = 0; start < tokens.length; start += sliceLength) {
      const all = await this.forward(tokens.slice(start, start + sliceLength), cache);
      last = all.subarray(all.length - V);
    }
    return last;
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.release();
  }
}
