// Constrained decoding to JSON of one shape: before each token, every token whose text the JSON automaton does not
// accept character by character gets logit -Infinity; when the token budget gets as low as the characters needed
// to close the JSON, only tokens that bring the close nearer stay allowed (forced closing).
import type { ChatTokenizer } from '../tokenizer.ts';
import { advance, advanceText, charsToClose, initialState, isComplete, type JsonState } from './json-automaton.ts';
import { compileSchema, DEFAULT_MAX_WHITESPACE, type ConstraintSpec, type Shape } from './json-schema.ts';
import { TokenVocabulary } from './token-vocabulary.ts';

/** A logits processor that follows the tokens it lets through. */
export interface TokenConstraint {
  /**
   * A copy of `logits` with every token that may not come next set to -Infinity. `budget`: the tokens that may
   * still be generated, this one included (max new tokens and the context both count).
   */
  mask(logits: Float32Array, budget: number): Float32Array;
  /** Moves past the chosen token (a stop token is let through without moving). */
  accept(token: number): void;
  /** The output is one whole JSON text; nothing may follow it. */
  readonly complete: boolean;
}

/**
 * Builds the constraint a request asks for. Throws, before anything is generated, when the spec is invalid, when
 * this tokenizer cannot guarantee to close the JSON (see `closable`), or when `maxNewTokens` is below the
 * characters the shortest JSON of the schema needs (forced closing may need one token per character).
 */
export function createTokenConstraint(
  spec: ConstraintSpec,
  tokenizer: ChatTokenizer,
  stopIds: Iterable<number>,
  maxNewTokens?: number,
): JsonConstraint {
  const constraint = JsonConstraint.create(spec, TokenVocabulary.fromTokenizer(tokenizer), stopIds);
  const missing = constraint.missingCloseCharacters;
  if (missing.length > 0) {
    throw new Error(
      `constrained (JSON) decoding cannot guarantee closed JSON with this tokenizer: it has no token of its own for ` +
        `${missing.map((ch) => JSON.stringify(ch)).join(', ')}; send the request without a constraint`,
    );
  }
  const needed = constraint.charsToClose;
  if (maxNewTokens !== undefined && maxNewTokens < needed) {
    throw new Error(
      `maxNewTokens is ${maxNewTokens}, but the shortest JSON the constraint's schema allows has ${needed} ` +
        `characters, and closing it may take a token each; allow at least ${needed} new tokens`,
    );
  }
  return constraint;
}

export class JsonConstraint implements TokenConstraint {
  private state: JsonState;
  private readonly stopIds: readonly number[];

  private constructor(
    private readonly shape: Shape,
    private readonly vocabulary: TokenVocabulary,
    stopIds: Iterable<number>,
    private readonly maxWhitespace: number,
  ) {
    this.state = initialState(shape);
    this.stopIds = [...stopIds];
  }

  static create(spec: ConstraintSpec, vocabulary: TokenVocabulary, stopIds: Iterable<number>): JsonConstraint {
    if (spec.kind !== 'json') throw new Error(`unknown output constraint "${String(spec.kind)}"`);
    const compiled = compileSchema(spec.schema);
    if (!compiled.ok) throw new Error(`the output constraint's JSON schema is not supported: ${compiled.message}`);
    const maxWhitespace = spec.maxWhitespace ?? DEFAULT_MAX_WHITESPACE;
    return new JsonConstraint(compiled.shape, vocabulary, stopIds, maxWhitespace);
  }

  get complete(): boolean {
    return isComplete(this.state);
  }

  /** Characters of the shortest completion of the output so far. */
  get charsToClose(): number {
    return charsToClose(this.state);
  }

  /**
   * Whether every character forced closing may need is a token of its own; only then is a JSON text that fits the
   * budget guaranteed (a vocabulary with byte fallback has all of ASCII).
   */
  get closable(): boolean {
    return this.missingCloseCharacters.length === 0;
  }

  /** The characters forced closing may need that have no single-character token (empty when `closable`). */
  get missingCloseCharacters(): string[] {
    return [...neededCharacters(this.shape)].filter((ch) => this.vocabulary.singleCharToken(ch) === undefined);
  }

  /**
   * The ids allowed next: at the end the stop ids; none at a dead end (no token continues the JSON). A budget below
   * `charsToClose` gives the tokens that shorten the close (`mask` refuses such a budget).
   */
  allowedTokens(budget: number): number[] {
    const out: number[] = [];
    this.forEachAllowed(budget, (id) => void out.push(id));
    return out;
  }

  /**
   * Throws instead of letting a stop token end the output as invalid JSON: when the JSON cannot be closed within
   * `budget` (only the context can shrink it that far: the filter keeps max new tokens enough), or at a dead end.
   */
  mask(logits: Float32Array, budget: number): Float32Array {
    const needed = this.complete ? 0 : this.charsToClose;
    if (budget < needed) {
      throw new Error(
        `constrained decoding: the JSON output needs ${needed} more characters to close, but only ${budget} ` +
          'tokens are left before max new tokens or the context run out; shorten the prompt or allow more new tokens',
      );
    }
    const masked = new Float32Array(logits.length).fill(-Infinity);
    let any = false;
    this.forEachAllowed(budget, (id) => {
      if (id >= logits.length) return;
      masked[id] = logits[id] ?? -Infinity;
      any = true;
    });
    if (!any) {
      throw new Error(
        this.complete
          ? 'constrained decoding: the JSON output is complete, but no stop token is in the vocabulary'
          : 'constrained decoding: no token of this vocabulary continues the JSON output',
      );
    }
    return masked;
  }

  private forEachAllowed(budget: number, visit: (id: number) => void): void {
    const s = this.state;
    if (isComplete(s)) return this.stopIds.forEach(visit);
    const now = charsToClose(s);
    // with a budget as small as the close, every token must shorten it
    const limit = Math.max(budget, now) - 1;
    const top = s.frames[s.frames.length - 1];
    // a dead end visits nothing: a stop token there would end the output as invalid JSON
    if (top?.k === 'string' && top.esc === 0) this.insideString(top, now, limit, visit);
    else this.walkTrie(0, s, limit, visit);
  }

  accept(token: number): void {
    if (this.stopIds.includes(token)) return;
    const text = this.vocabulary.texts[token];
    const next = text ? advanceText(this.state, text, this.maxWhitespace) : undefined;
    if (!next) throw new Error(`token ${token} does not continue the constrained JSON output`);
    this.state = next;
  }

  /**
   * Inside a string most of the vocabulary is allowed: the plain tokens that fit its maxLength come from a list
   * sorted by length (they never lengthen the close; while minLength is unmet they shorten it), and only tokens
   * with a quote, backslash or control character are run through the automaton.
   */
  private insideString(
    top: { n: number; shape: { minLength: number; maxLength: number } },
    now: number,
    limit: number,
    visit: (id: number) => void,
  ): number {
    const v = this.vocabulary;
    let found = 0;
    const shortens = top.shape.minLength > top.n;
    if (now <= limit || shortens) {
      const end = upperBound(v.plainLengths, top.shape.maxLength - top.n);
      for (let i = 0; i < end; i++) visit(v.plainIds[i] ?? 0);
      found += end;
    }
    for (const id of v.otherIds) {
      const next = advanceText(this.state, v.texts[id] ?? '', this.maxWhitespace);
      if (next && charsToClose(next) <= limit) {
        visit(id);
        found++;
      }
    }
    return found;
  }

  /** Depth-first over the token trie, advancing the automaton along each edge; a rejected edge prunes its subtree. */
  private walkTrie(node: number, s: JsonState, limit: number, visit: (id: number) => void): number {
    const v = this.vocabulary;
    let found = 0;
    for (let child = v.firstChild[node] ?? -1; child >= 0; child = v.nextSibling[child] ?? -1) {
      const next = advance(s, v.edge[child] ?? 0, this.maxWhitespace);
      if (!next) continue;
      const start = v.idsStart[child] ?? 0;
      const end = v.idsEnd[child] ?? 0;
      if (end > start && charsToClose(next) <= limit) {
        for (let i = start; i < end; i++) visit(v.sortedIds[i] ?? 0);
        found += end - start;
      }
      found += this.walkTrie(child, next, limit, visit);
    }
    return found;
  }
}

/** The number of entries of the ascending `values` that are ≤ max. */
function upperBound(values: Int32Array, max: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) <= max) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The characters a shortest completion of any state of this shape may need. */
function neededCharacters(shape: Shape, into = new Set<string>()): Set<string> {
  into.add('"');
  switch (shape.kind) {
    case 'string':
      if (shape.minLength > 0) into.add('a');
      break;
    case 'enum':
      for (const v of shape.values) for (const ch of v) into.add(ch);
      break;
    case 'array':
      for (const ch of '[],') into.add(ch);
      neededCharacters(shape.items, into);
      break;
    case 'object':
      for (const ch of '{}:,') into.add(ch);
      for (const k of shape.keys) for (const ch of k) into.add(ch);
      for (const value of shape.values) neededCharacters(value, into);
      break;
  }
  return into;
}
