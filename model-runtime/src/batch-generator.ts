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

/** A lone prompt: the plain generator (its prefill runs in slices), the tokens a batch row would get. */
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
 * prompt × vocab] float32 (8 prompts of 2 k tokens over a 32 k vocabulary would be 2 GB), so a batch of long
 * prompts runs in groups of fewer rows.
 */
export const PREFILL_LOGITS_BYTES = 512 * 1024 * 1024;

/** Each prompt's generation (row i sampled with seed + i), rows side by side in groups that fit the logits budget. */
export async function generateBatch(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  params: GenerationParams,
  signal?: AbortSignal,
  prefillLogitsBytes = PREFILL_LOGITS_BYTES,
): Promise<BatchResult[]> {
  const longest = Math.max(1, ...prompts.map((p) => p.length));
  const rowsPerGroup = Math.max(1, Math.floor(prefillLogitsBytes / (longest * decoder.folder.vocabSize * 4)));
  const results: BatchResult[] = [];
  for (let first = 0; first < prompts.length; first += rowsPerGroup)
    results.push(...(await generateRows(decoder, prompts.slice(first, first + rowsPerGroup), params, first, signal)));
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
  if (prompts.length <= 1) return oneByOne(decoder, prompts, params, firstRow, signal);
  const longest = Math.max(...prompts.map((p) => p.length));
  if (longest + 1 > folder.contextLength) throw new ContextLengthError(longest + 1, folder.contextLength);
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
    mask: padded(new Array<number>(p.length).fill(1), longest, 0, decoder.batchPadding),
  }));
  const cache = decoder.newCache(prompts.length);
  const V = folder.vocabSize;
  try {
    let input = prompts.map((p) => padded(p, longest, pad, decoder.batchPadding));
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
