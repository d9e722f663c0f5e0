// Choosing the next token from logits: greedy, or seeded temperature / top-k / top-p sampling.
import { mulberry32 } from './builder/weights.ts';

export interface SamplingParams {
  /** 0 (or absent) = greedy. */
  temperature?: number;
  /** Keep the k most likely tokens; 0 = no limit. */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p; 1 = no limit. */
  topP?: number;
  /** Same seed, same model, same prompt: same tokens. */
  seed?: number;
}

/** Tokens whose logit is this far (after temperature) below the best have probability < 2e-9 and are never kept. */
const CANDIDATE_WINDOW = 20;

export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] ?? -Infinity;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

export class TokenSampler {
  private readonly random: () => number;

  constructor(private readonly params: SamplingParams = {}) {
    this.random = mulberry32(params.seed ?? 0);
  }

  get greedy(): boolean {
    return !(this.params.temperature && this.params.temperature > 0);
  }

  sample(logits: Float32Array): number {
    if (this.greedy) return argmax(logits);
    const t = this.params.temperature ?? 1;
    const max = logits[argmax(logits)] ?? 0;
    const candidates: number[] = [];
    for (let i = 0; i < logits.length; i++)
      if (((logits[i] ?? -Infinity) - max) / t > -CANDIDATE_WINDOW) candidates.push(i);
    candidates.sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0) || a - b);
    const k =
      this.params.topK && this.params.topK > 0 ? Math.min(this.params.topK, candidates.length) : candidates.length;
    const weights = candidates.slice(0, k).map((i) => Math.exp(((logits[i] ?? 0) - max) / t));
    const total = weights.reduce((a, b) => a + b, 0);
    const topP = this.params.topP ?? 1;
    let kept = weights.length;
    if (topP < 1) {
      let cumulative = 0;
      for (let i = 0; i < weights.length; i++) {
        cumulative += (weights[i] ?? 0) / total;
        if (cumulative >= topP) {
          kept = i + 1;
          break;
        }
      }
    }
    const keptTotal = weights.slice(0, kept).reduce((a, b) => a + b, 0);
    let r = this.random() * keptTotal;
    for (let i = 0; i < kept; i++) {
      r -= weights[i] ?? 0;
      if (r <= 0) return candidates[i] ?? 0;
    }
    return candidates[kept - 1] ?? 0;
  }
}
