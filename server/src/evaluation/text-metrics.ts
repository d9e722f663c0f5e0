// Measures of generated text against a reference, as in the CancerLLM paper: Exact Match, BLEU-2 and ROUGE-L F1, and
// their average. BLEU follows Papineni et al. (2002): clipped n-gram precisions, geometric mean with uniform weights,
// brevity penalty against the reference closest in length (as NLTK's sentence_bleu), no smoothing. ROUGE-L follows
// Lin (2004): longest common subsequence, F with beta = 1. Tokens are lower-cased words and numbers.

export interface TextScores {
  exactMatch: number;
  bleu2: number;
  rougeL: number;
  /** Mean of the three, the paper's "average F1". */
  average: number;
}

/** Lower-cased word and number tokens; "2.3", "HER2" and "Ki-67" stay whole, punctuation is dropped. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.,\-/+][\p{L}\p{N}]+)*\+?/gu) ?? [];
}

export function exactMatch(candidate: string, reference: string): number {
  const normalize = (text: string) => tokenize(text).join(' ');
  return normalize(candidate) === normalize(reference) ? 1 : 0;
}

/** Clipped n-gram precision as a fraction [matched, total] (Papineni et al., 2002, section 2.1). */
export function modifiedPrecision(references: readonly string[][], candidate: readonly string[], n: number): [number, number] {
  const counts = ngramCounts(candidate, n);
  const maxReference = new Map<string, number>();
  for (const reference of references) {
    for (const [gram, count] of ngramCounts(reference, n)) maxReference.set(gram, Math.max(maxReference.get(gram) ?? 0, count));
  }
  let matched = 0;
  let total = 0;
  for (const [gram, count] of counts) {
    matched += Math.min(count, maxReference.get(gram) ?? 0);
    total += count;
  }
  return [matched, total];
}

/** Sentence BLEU with uniform weights over n-gram orders 1..maxN; 0 when any precision is 0 (no smoothing). */
export function bleu(references: readonly string[][], candidate: readonly string[], maxN: number): number {
  if (candidate.length === 0) return 0;
  let logSum = 0;
  for (let n = 1; n <= maxN; n++) {
    const [matched, total] = modifiedPrecision(references, candidate, n);
    if (matched === 0 || total === 0) return 0;
    logSum += Math.log(matched / total) / maxN;
  }
  const c = candidate.length;
  // The reference length closest to the candidate's; ties go to the shorter (NLTK's closest_ref_length).
  const r = references.map((ref) => ref.length).reduce((best, len) => (Math.abs(len - c) < Math.abs(best - c) || (Math.abs(len - c) === Math.abs(best - c) && len < best) ? len : best), Number.POSITIVE_INFINITY);
  const brevity = c > r ? 1 : Math.exp(1 - r / c);
  return brevity * Math.exp(logSum);
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** ROUGE-L F1 (Lin, 2004, section 3.1, beta = 1). */
export function rougeL(candidate: readonly string[], reference: readonly string[]): number {
  if (candidate.length === 0 || reference.length === 0) return 0;
  const lcs = lcsLength(candidate, reference);
  if (lcs === 0) return 0;
  const precision = lcs / candidate.length;
  const recall = lcs / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

export function scoreText(candidate: string, reference: string): TextScores {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  const scores = { exactMatch: exactMatch(candidate, reference), bleu2: bleu([r], c, 2), rougeL: rougeL(c, r) };
  return { ...scores, average: (scores.exactMatch + scores.bleu2 + scores.rougeL) / 3 };
}

/** Corpus figures as the paper reports them: the mean of per-pair scores. */
export function meanScores(all: readonly TextScores[]): TextScores {
  const mean = (key: keyof TextScores) => (all.length === 0 ? 0 : all.reduce((sum, s) => sum + s[key], 0) / all.length);
  return { exactMatch: mean('exactMatch'), bleu2: mean('bleu2'), rougeL: mean('rougeL'), average: mean('average') };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join('\u0000');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}
