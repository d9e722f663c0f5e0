// Batched generation for batch jobs: several prompts run side by side in each session.run() (padded, with an
// attention mask), which raises throughput over one-by-one generation. Each row has its own sampler (seed + row),
// output constraint, stop strings and limits; a finished row keeps padding along until every row is done. Prompts
// are padded on the side the model needs (Decoder.batchPadding): left with position_ids, right for
// GroupQueryAttention.
import { ContextLengthError, type Decoder } from './decoder.ts';
import { generate, type DoneReason, type GenerationParams } from './generator.ts';
import { TokenSampler } from './sampling.ts';
import { TextStream } from './text-stream.ts';
import { createTokenConstraint } from './constrain/json-constraint.ts';

export interface BatchResult {
  tokens: number[];
  text: string;
  reason: DoneReason | 'aborted';
}

/**
 * Prompts one after another through the plain generator (its prefill runs in slices), each with the tokens it would
 * get as a batch row: for a lone prompt, and for a model whose rows cannot share a run.
 */
async function oneByOne(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  params: GenerationParams,
  firstRow: number,
  signal?: AbortSignal,
): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (let i = 0; i < prompts.length; i++) {
    const it = generate(decoder, prompts[i] ?? [], { ...params, seed: (params.seed ?? 0) + firstRow + i }, signal);
    const tokens: number[] = [];
    let text = '';
    for (;;) {
      const r = await it.next();
      if (r.done) {
        results.push({ tokens, text, reason: r.value });
        break;
      }
      tokens.push(r.value.token);
      text += r.value.text;
    }
  }
  return results;
}

/** `values` filled up to `length` with `fill` on the given side. */
function padded(values: readonly number[], length: number, fill: number, side: 'left' | 'right'): number[] {
  const padding = new Array<number>(length - values.length).fill(fill);
  return side === 'left' ? [...padding, ...values] : [...values, ...padding];
}

/**
 * The most memory a batch's prefill logits may take: onnxruntime returns them for every position, [rows × longest
 * prompt × vocab] (8 prompts of 2 k tokens over a 32 k vocabulary would be 2 GB as float32), so long prompts run in
 * groups of fewer rows.
 */
export const PREFILL_LOGITS_BYTES = 512 * 1024 * 1024;

/**
 * Each prompt's generation (row i sampled with seed + i). Rows run side by side in groups, each as many prompts in
 * order as fit the logits budget by that group's longest prompt. Every prompt is checked before any runs.
 */
export async function generateBatch(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  params: GenerationParams,
  signal?: AbortSignal,
  prefillLogitsBytes = PREFILL_LOGITS_BYTES,
): Promise<BatchResult[]> {
  const folder = decoder.folder;
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`prompt ${i} of the batch is empty: a row needs at least one token`);
  });
  const longest = Math.max(0, ...prompts.map((p) => p.length));
  if (longest + 1 > folder.contextLength) throw new ContextLengthError(longest + 1, folder.contextLength);
  if (!decoder.batchPadding) return oneByOne(decoder, prompts, params, 0, signal);
  // a float16 output is held while its float32 copy is made
  const bytesPerLogit = folder.logitsType === 'float16' ? 6 : 4;
  const fits = (rows: number, length: number): boolean =>
    rows * length * folder.vocabSize * bytesPerLogit <= prefillLogitsBytes;
  const results: BatchResult[] = [];
  for (let first = 0; first < prompts.length; ) {
    let end = first + 1;
    let groupLongest = prompts[first]?.length ?? 0;
    for (; end < prompts.length; end++) {
      const length = Math.max(groupLongest, prompts[end]?.length ?? 0);
      if (!fits(end - first + 1, length)) break;
      groupLongest = length;
    }
    results.push(...(await generateRows(decoder, prompts.slice(first, end), params, first, signal)));
    first = end;
  }
  return results;
}

async function generateRows(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  params: GenerationParams,
  firstRow: number,
  signal?: AbortSignal,
): Promise<BatchResult[]> {
  const folder = decoder.folder;
  const side = decoder.batchPadding;
  if (prompts.length <= 1 || !side) return oneByOne(decoder, prompts, params, firstRow, signal);
  const longest = Math.max(...prompts.map((p) => p.length));
  const pad = folder.eosTokenIds[0] ?? 0;
  const stopIds = new Set(params.stopTokenIds ?? folder.eosTokenIds);
  // Built before the KV cache, as Generator does: a schema or a token budget that cannot be honoured is refused
  // before any tensor is allocated.
  const constraintOf = () =>
    params.constraint && createTokenConstraint(params.constraint, folder.tokenizer, stopIds, params.maxNewTokens);
  const rows = prompts.map((p, i) => ({
    sampler: new TokenSampler({ ...params, seed: (params.seed ?? 0) + firstRow + i }),
    constraint: constraintOf(),
    stream: new TextStream((ids) => folder.tokenizer.decode(ids), params.stopStrings ?? []),
    tokens: [] as number[],
    reason: undefined as DoneReason | 'aborted' | undefined,
    mask: padded(new Array<number>(p.length).fill(1), longest, 0, side),
  }));
  const cache = decoder.newCache(prompts.length);
  const V = folder.vocabSize;
  try {
    let input = prompts.map((p) => padded(p, longest, pad, side));
    for (;;) {
      if (signal?.aborted) {
        for (const r of rows) r.reason ??= 'aborted';
        break;
      }
      const logits = await decoder.forwardBatch(
        input,
        rows.map((r) => r.mask),
        cache,
      );
      const next: number[] = [];
      rows.forEach((r, b) => {
        if (r.reason) return void next.push(pad);
        const row = logits.subarray(b * V, (b + 1) * V);
        const budget = Math.min(params.maxNewTokens - r.tokens.length, folder.contextLength - cache.length + 1);
        const token = r.sampler.sample(r.constraint ? r.constraint.mask(row, budget) : row);
        r.constraint?.accept(token);
        r.tokens.push(token);
        next.push(token);
        if (stopIds.has(token)) r.reason = 'eos';
        else if ((r.stream.update(r.tokens), r.stream.stopped)) r.reason = 'stop-string';
        else if (r.constraint?.complete) r.reason = 'complete';
        else if (r.tokens.length >= params.maxNewTokens) r.reason = 'max-new-tokens';
        else if (cache.length + 1 > folder.contextLength) r.reason = 'context-full';
      });
      if (rows.every((r) => r.reason)) break;
      rows.forEach((r) => r.mask.push(r.reason ? 0 : 1));
      input = next.map((t) => [t]);
    }
    return rows.map((r) => {
      if (r.reason !== 'eos') r.stream.update(r.tokens);
      return { tokens: r.tokens, text: r.stream.fullText, reason: r.reason ?? 'max-new-tokens' };
    });
  } finally {
    cache.dispose();
  }
}
