// Batched generation for batch jobs: several prompts run side by side in each session.run() (padded, with an
// attention mask), which raises throughput over one-by-one generation. Each row has its own sampler (seed + row),
// output constraint, stop strings and limits; a finished row keeps padding along until every row is done. Prompts
// are padded on the side the model needs (Decoder.batchPadding): left with position_ids, right for
// GroupQueryAttention.
import { ContextLengthError, type Decoder } from './decoder.ts';
import { KvCache } from './kv-cache.ts';
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
 * Each prompt's generation (row i sampled with seed + i), the tokens it would get alone. Rows run side by side in
 * groups, each as many prompts in order as fit the logits budget by that group's longest prompt; prompts that share
 * a long prefix run it once for the whole batch and go in groups as the KV budget allows. A prompt whose answer
 * could fill the context never shares a run. Every prompt is checked before any runs.
 */
export async function generateBatch(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  params: GenerationParams,
  signal?: AbortSignal,
  prefillLogitsBytes = PREFILL_LOGITS_BYTES,
): Promise<BatchResult[]> {
  const folder = decoder.folder;
  refuseUnrunnable(prompts, folder.contextLength);
  const longest = Math.max(0, ...prompts.map((p) => p.length));
  if (!decoder.batchPadding) return oneByOne(decoder, prompts, params, 0, signal);
  const shared = sharedPrefixLength(prompts);
  // a float16 output is held while its float32 copy is made
  const bytesPerLogit = folder.logitsType === 'float16' ? 6 : 4;
  // A row stops when the batch's longest row fills the context: rows whose answers could reach it run alone, so
  // that batched rows get the tokens they would get alone.
  const roomFor = (length: number): boolean => length + params.maxNewTokens <= folder.contextLength;
  if (shared >= MIN_SHARED_PREFIX && longest - shared <= MAX_SHARED_REST && roomFor(longest)) {
    // each row's cache holds the prefix, its rest and its answer, twice at the peak (a run's past and present); a
    // run of rests returns logits for every position of them
    const kvRows = SHARED_PREFIX_KV_BYTES / (2 * (longest + params.maxNewTokens) * kvBytesPerPosition(folder));
    const logitsRows = prefillLogitsBytes / ((longest - shared) * folder.vocabSize * bytesPerLogit);
    const most = Math.max(1, Math.floor(Math.min(kvRows, logitsRows)));
    // groups of even size: 17 rows by at most 8 run as 6, 6 and 5, not 8, 8 and 1
    const rowsPerGroup = Math.ceil(prompts.length / Math.ceil(prompts.length / most));
    const prefix: SharedPrefix = { length: shared, cache: decoder.newCache(1) };
    try {
      if (!signal?.aborted) await decoder.forwardLast(prompts[0]?.slice(0, shared) ?? [], prefix.cache);
      return await inGroups(prompts.length, () => rowsPerGroup, (first, end) =>
        generateRows(decoder, prompts.slice(first, end), params, first, signal, prefix),
      );
    } finally {
      prefix.cache.dispose();
    }
  }
  const fits = (rows: number, length: number): boolean =>
    rows * length * folder.vocabSize * bytesPerLogit <= prefillLogitsBytes;
  const groupSize = (first: number): number => {
    let end = first + 1;
    let groupLongest = prompts[first]?.length ?? 0;
    for (; end < prompts.length; end++) {
      const length = Math.max(groupLongest, prompts[end]?.length ?? 0);
      if (!fits(end - first + 1, length) || !roomFor(length)) break;
      groupLongest = length;
    }
    return end - first;
  };
  return inGroups(prompts.length, groupSize, (first, end) =>
    generateRows(decoder, prompts.slice(first, end), params, first, signal),
  );
}

/**
 * Throws unless every prompt of a batch can run: a batch is refused as a whole before anything runs, so that no work
 * is spent on prompts before the one that fails.
 */
export function refuseUnrunnable(prompts: readonly (readonly number[])[], contextLength: number): void {
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`prompt ${i} of the batch is empty: a row needs at least one token`);
  });
  const longest = Math.max(0, ...prompts.map((p) => p.length));
  if (longest + 1 > contextLength) throw new ContextLengthError(longest + 1, contextLength);
}

/**
 * Prompts that begin alike (CancerLLM's questions about one section share the section's text and differ in the
 * question at the end) run their common prefix once: at least this many tokens...
 */
const MIN_SHARED_PREFIX = 32;
/**
 * ...when what follows it is short: the rests run one run per rest length (rows of unequal rest cannot share a run
 * after a past), which only pays for short rests such as questions.
 */
const MAX_SHARED_REST = 64;
/**
 * About the most memory a group of rows' KV caches may take when they share a prefix (the copies of the prefix,
 * their rests and answers, counted twice for a run's past and present).
 */
export const SHARED_PREFIX_KV_BYTES = 1024 * 1024 * 1024;

/** Tokens every prompt of a batch begins with, and their cache: run once, copied into every group's rows. */
interface SharedPrefix {
  length: number;
  cache: KvCache;
}

/** Tokens every prompt begins with, leaving each prompt at least one token of its own. */
export function sharedPrefixLength(prompts: readonly (readonly number[])[]): number {
  const [first, ...others] = prompts;
  if (!first || others.length === 0) return 0;
  let n = Math.min(...prompts.map((p) => p.length)) - 1;
  for (const p of others) {
    let i = 0;
    while (i < n && p[i] === first[i]) i++;
    n = i;
  }
  return Math.max(0, n);
}

function kvBytesPerPosition(folder: Decoder['folder']): number {
  return folder.numLayers * 2 * folder.numKvHeads * folder.headDim * (folder.kvType === 'float16' ? 2 : 4);
}

/** Runs prompts [0, count) in consecutive groups, `size(first)` prompts each, and joins their results in order. */
async function inGroups(
  count: number,
  size: (first: number) => number,
  run: (first: number, end: number) => Promise<BatchResult[]>,
): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (let first = 0; first < count; ) {
    const end = Math.min(count, first + size(first));
    results.push(...(await run(first, end)));
    first = end;
  }
  return results;
}

/**
 * Rows side by side: the prompts run (startRows, over `prefix` when they share one), then every run adds one sampled
 * token to each row still going.
 */
async function generateRows(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  params: GenerationParams,
  firstRow: number,
  signal?: AbortSignal,
  prefix?: SharedPrefix,
): Promise<BatchResult[]> {
  const folder = decoder.folder;
  // a lone row runs as generate() does, unless a prefix it shares has run already
  if ((prompts.length <= 1 && !prefix) || !decoder.batchPadding)
    return oneByOne(decoder, prompts, params, firstRow, signal);
  const pad = folder.eosTokenIds[0] ?? 0;
  const stopIds = new Set(params.stopTokenIds ?? folder.eosTokenIds);
  // Built before the KV cache, as Generator does: a schema or a token budget that cannot be honoured is refused
  // before any tensor is allocated.
  const constraintOf = () =>
    params.constraint && createTokenConstraint(params.constraint, folder.tokenizer, stopIds, params.maxNewTokens);
  const rows = prompts.map((_, i) => ({
    sampler: new TokenSampler({ ...params, seed: (params.seed ?? 0) + firstRow + i }),
    constraint: constraintOf(),
    stream: new TextStream((ids) => folder.tokenizer.decode(ids), params.stopStrings ?? []),
    tokens: [] as number[],
    reason: undefined as DoneReason | 'aborted' | undefined,
  }));
  const started = signal?.aborted ? undefined : await startRows(decoder, prompts, prefix, signal);
  if (!started) return rows.map(() => ({ tokens: [], text: '', reason: 'aborted' }));
  const { cache, masks } = started;
  let logits = started.logits;
  const V = folder.vocabSize;
  try {
    for (;;) {
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
      if (signal?.aborted) {
        for (const r of rows) r.reason ??= 'aborted';
        break;
      }
      rows.forEach((r, b) => masks[b]?.push(r.reason ? 0 : 1));
      logits = await decoder.forwardBatch(
        next.map((t) => [t]),
        masks,
        cache,
      );
    }
    return rows.map((r) => {
      if (r.reason !== 'eos') r.stream.update(r.tokens);
      return { tokens: r.tokens, text: r.stream.fullText, reason: r.reason ?? 'max-new-tokens' };
    });
  } finally {
    cache.dispose();
  }
}

/** A batch whose prompts have run: its cache, each row's attention mask, and each row's next-token logits. */
interface StartedRows {
  cache: KvCache;
  masks: number[][];
  /** [rows × vocab] */
  logits: Float32Array;
}

/**
 * Runs a batch's prompts. Without a shared prefix: every prompt whole in one run, padded on the model's side. With
 * one (already run): the rests run over copies of its cache, rows with equally long rests together (a run after a
 * past cannot be padded), each row alone for GroupQueryAttention; and the groups' caches are gathered into one,
 * right-padded, rows in order. Undefined when `signal` aborts between runs.
 */
async function startRows(
  decoder: Decoder,
  prompts: readonly (readonly number[])[],
  prefix: SharedPrefix | undefined,
  signal?: AbortSignal,
): Promise<StartedRows | undefined> {
  const side = decoder.batchPadding ?? 'left';
  const ones = (n: number): number[] => new Array<number>(n).fill(1);
  if (!prefix) {
    const longest = Math.max(...prompts.map((p) => p.length));
    const pad = decoder.folder.eosTokenIds[0] ?? 0;
    const cache = decoder.newCache(prompts.length);
    const masks = prompts.map((p) => padded(ones(p.length), longest, 0, side));
    try {
      const logits = await decoder.forwardBatch(
        prompts.map((p) => padded(p, longest, pad, side)),
        masks,
        cache,
      );
      return { cache, masks, logits };
    } catch (error) {
      cache.dispose();
      throw error;
    }
  }
  const shared = prefix.length;
  const V = decoder.folder.vocabSize;
  // GroupQueryAttention takes several new tokens after a past for one sequence only: there each row runs alone
  const alone = decoder.folder.groupQueryAttention;
  const byRest = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    const key = alone ? i : p.length - shared;
    byRest.set(key, [...(byRest.get(key) ?? []), i]);
  });
  const groups: { cache: KvCache; rows: number[] }[] = [];
  const logits = new Float32Array(prompts.length * V);
  try {
    for (const rows of byRest.values()) {
      if (signal?.aborted) return undefined;
      const rest = (prompts[rows[0] ?? 0]?.length ?? shared) - shared;
      const cache = prefix.cache.repeated(rows.length);
      groups.push({ cache, rows });
      const restLogits = await decoder.forwardBatch(
        rows.map((i) => prompts[i]?.slice(shared) ?? []),
        rows.map(() => ones(shared + rest)),
        cache,
      );
      rows.forEach((i, g) => logits.set(restLogits.subarray(g * V, (g + 1) * V), i * V));
    }
    const picks: { cache: KvCache; row: number }[] = [];
    for (const { cache, rows } of groups) rows.forEach((i, g) => (picks[i] = { cache, row: g }));
    const cache = KvCache.gathered(picks);
    const masks = prompts.map((p) => padded(ones(p.length), cache.length, 0, 'right'));
    return { cache, masks, logits };
  } finally {
    for (const g of groups) g.cache.dispose();
  }
}
