// Generation in steps (appendTokens / step / isDone / dispose) over a Decoder, and generate(), an async iterator
// on top that checks an AbortSignal between steps. The Generator owns its KvCache and frees it on dispose.
import { ContextLengthError, type Decoder } from './decoder.ts';
import type { KvCache } from './kv-cache.ts';
import { TokenSampler, type SamplingParams } from './sampling.ts';
import { TextStream } from './text-stream.ts';
import type { ConstraintSpec } from './constrain/json-schema.ts';
import { createTokenConstraint, type TokenConstraint } from './constrain/json-constraint.ts';

export interface GenerationParams extends SamplingParams {
  maxNewTokens: number;
  /** Generation ends when the text contains one of these; the text is cut before it. */
  stopStrings?: readonly string[];
  /** Defaults to the model's end-of-sequence ids. */
  stopTokenIds?: readonly number[];
  /**
   * Constrained decoding: every token must keep the text a prefix of JSON of this schema, and the JSON is closed
   * before max new tokens or the context run out. Host sampling only: the decode loop samples inside its graph.
   */
  constraint?: ConstraintSpec;
}

/** 'complete': the constrained output is a whole JSON text (generation ends there, no eos token is sampled). */
export type DoneReason = 'eos' | 'max-new-tokens' | 'stop-string' | 'context-full' | 'complete';

export interface GenerationChunk {
  token: number;
  /** Text that became safe to show with this token (may be empty while a stop string might be forming). */
  text: string;
}

export class Generator {
  private readonly cache: KvCache;
  private readonly sampler: TokenSampler;
  private readonly stream: TextStream;
  private readonly stopIds: ReadonlySet<number>;
  private readonly constraint: TokenConstraint | undefined;
  private logits: Float32Array | undefined;
  private readonly generated: number[] = [];
  private done: DoneReason | undefined;
  private disposed = false;

  constructor(
    private readonly decoder: Decoder,
    private readonly params: GenerationParams,
  ) {
    const tokenizer = decoder.folder.tokenizer;
    this.stopIds = new Set(params.stopTokenIds ?? decoder.folder.eosTokenIds);
    // first, so that a constraint that cannot be followed throws before any KV tensor is allocated
    this.constraint =
      params.constraint && createTokenConstraint(params.constraint, tokenizer, this.stopIds, params.maxNewTokens);
    this.sampler = new TokenSampler(params);
    this.stream = new TextStream((ids) => tokenizer.decode(ids), params.stopStrings ?? []);
    this.cache = decoder.newCache();
  }

  /** Runs tokens through the model (the prompt, or more context mid-generation). */
  async appendTokens(tokens: readonly number[]): Promise<void> {
    this.assertUsable();
    if (tokens.length === 0)
      throw new Error('appendTokens() needs at least one token: an empty prompt has nothing to continue');
    const needed = this.cache.length + tokens.length + (this.generated.length === 0 ? 1 : 0);
    if (needed > this.decoder.folder.contextLength)
      throw new ContextLengthError(needed, this.decoder.folder.contextLength);
    this.logits = await this.decoder.forwardLast(tokens, this.cache);
  }

  /** Picks the next token, and unless that ends generation, runs it through the model. Returns the token. */
  async step(): Promise<GenerationChunk> {
    this.assertUsable();
    if (this.done) throw new Error(`generation already ended (${this.done})`);
    if (!this.logits) throw new Error('step() before appendTokens(): give the generator a prompt first');
    const token = this.sampler.sample(
      this.constraint ? this.constraint.mask(this.logits, this.tokensLeft()) : this.logits,
    );
    this.constraint?.accept(token);
    this.generated.push(token);
    if (this.stopIds.has(token)) {
      this.done = 'eos';
      return { token, text: this.stream.flush() };
    }
    const text = this.stream.update(this.generated);
    if (this.stream.stopped) this.done = 'stop-string';
    else if (this.constraint?.complete) this.done = 'complete';
    else if (this.generated.length >= this.params.maxNewTokens) this.done = 'max-new-tokens';
    else if (this.cache.length + 1 > this.decoder.folder.contextLength) this.done = 'context-full';
    if (this.done) return { token, text: this.done === 'stop-string' ? text : text + this.stream.flush() };
    this.logits = await this.decoder.forwardLast([token], this.cache);
    return { token, text };
  }

  /** Tokens that may still be generated, the next one included: max new tokens and the context both limit it. */
  private tokensLeft(): number {
    const context = this.decoder.folder.contextLength - this.cache.length + 1;
    return Math.min(this.params.maxNewTokens - this.generated.length, context);
  }

  isDone(): boolean {
    return this.done !== undefined;
  }

  get doneReason(): DoneReason | undefined {
    return this.done;
  }

  get newTokens(): readonly number[] {
    return this.generated;
  }

  /** The generated text, cut before a stop string. */
  get text(): string {
    return this.stream.fullText;
  }

  /** The next-token logits (for tests and scoring). */
  get lastLogits(): Float32Array | undefined {
    return this.logits;
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('Generator used after dispose()');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.dispose();
    this.logits = undefined;
  }
}

/**
 * Streams chunks for a prompt; checks `signal` before the prompt and between decode steps, so cancellation takes
 * effect within one step. Always disposes the generator.
 */
export async function* generate(
  decoder: Decoder,
  prompt: readonly number[],
  params: GenerationParams,
  signal?: AbortSignal,
): AsyncGenerator<GenerationChunk, DoneReason | 'aborted'> {
  const generator = new Generator(decoder, params);
  try {
    if (signal?.aborted) return 'aborted';
    await generator.appendTokens(prompt);
    while (!generator.isDone()) {
      if (signal?.aborted) return 'aborted';
      yield await generator.step();
    }
    return generator.doneReason ?? 'max-new-tokens';
  } finally {
    generator.dispose();
  }
}
