// Scores predicted mentions against gold (spec "Scoring"): strict = same type and span, lenient = same type and
// overlapping spans, each gold mention matched at most once; value and assertion accuracy over lenient matches.
import { PHENOTYPE_TYPES, type Mention, type MentionValue, type PhenotypeType } from '@cancerllm/protocol';

export interface Prf {
  p: number;
  r: number;
  f1: number;
}

export interface TypeScore {
  strict: Prf;
  lenient: Prf;
  support: number;
}

export interface EvalReport {
  notes: number;
  micro: { strict: Prf; lenient: Prf };
  perType: Partial<Record<PhenotypeType, TypeScore>>;
  valueAccuracy: number;
  assertionAccuracy: number;
}

/** Counts for one note and one type, summed across notes before ratios are taken. */
interface Counts {
  gold: number;
  predicted: number;
  strictMatches: number;
  lenientMatches: number;
  valueMatches: number;
  assertionMatches: number;
}

export interface LenientPair {
  gold: Mention;
  predicted: Mention;
}

export interface NoteComparison {
  counts: Map<PhenotypeType, Counts>;
  lenientPairs: LenientPair[];
  missed: Mention[];
  spurious: Mention[];
}

export function compareNote(gold: readonly Mention[], predicted: readonly Mention[]): NoteComparison {
  const counts = new Map<PhenotypeType, Counts>();
  const lenientPairs: LenientPair[] = [];
  const missed: Mention[] = [];
  const spurious: Mention[] = [];
  for (const type of PHENOTYPE_TYPES) {
    const g = gold.filter((m) => m.type === type);
    const p = predicted.filter((m) => m.type === type);
    if (g.length === 0 && p.length === 0) continue;
    const strictMatches = matchOneToOne(g, p, (a, b) => (a.start === b.start && a.end === b.end ? 1 : 0)).length;
    const pairs = matchOneToOne(g, p, overlap);
    const matchedGold = new Set(pairs.map(([gi]) => gi));
    const matchedPredicted = new Set(pairs.map(([, pi]) => pi));
    g.forEach((m, i) => matchedGold.has(i) || missed.push(m));
    p.forEach((m, i) => matchedPredicted.has(i) || spurious.push(m));
    let valueMatches = 0;
    let assertionMatches = 0;
    for (const [gi, pi] of pairs) {
      const pair = { gold: g[gi]!, predicted: p[pi]! };
      lenientPairs.push(pair);
      if (valuesEqual(pair.gold.value, pair.predicted.value)) valueMatches++;
      if (pair.gold.assertion === pair.predicted.assertion) assertionMatches++;
    }
    counts.set(type, {
      gold: g.length,
      predicted: p.length,
      strictMatches,
      lenientMatches: pairs.length,
      valueMatches,
      assertionMatches,
    });
  }
  return { counts, lenientPairs, missed, spurious };
}

export function scoreNotes(comparisons: readonly NoteComparison[]): EvalReport {
  const totals = new Map<PhenotypeType, Counts>();
  for (const comparison of comparisons) {
    for (const [type, c] of comparison.counts) totals.set(type, add(totals.get(type), c));
  }
  const perType: Partial<Record<PhenotypeType, TypeScore>> = {};
  let all = emptyCounts();
  for (const type of PHENOTYPE_TYPES) {
    const c = totals.get(type);
    if (!c) continue;
    all = add(all, c);
    perType[type] = {
      strict: prf(c.strictMatches, c.predicted, c.gold),
      lenient: prf(c.lenientMatches, c.predicted, c.gold),
      support: c.gold,
    };
  }
  return {
    notes: comparisons.length,
    micro: {
      strict: prf(all.strictMatches, all.predicted, all.gold),
      lenient: prf(all.lenientMatches, all.predicted, all.gold),
    },
    perType,
    valueAccuracy: ratio(all.valueMatches, all.lenientMatches),
    assertionAccuracy: ratio(all.assertionMatches, all.lenientMatches),
  };
}

/**
 * Pairs gold and predicted mentions one-to-one, best score first (ties: earlier gold, then earlier prediction), so
 * one long prediction cannot claim several gold mentions. Returns [goldIndex, predictedIndex] pairs.
 */
function matchOneToOne(
  gold: readonly Mention[],
  predicted: readonly Mention[],
  score: (g: Mention, p: Mention) => number,
): Array<[number, number]> {
  const candidates: Array<[number, number, number]> = [];
  gold.forEach((g, gi) =>
    predicted.forEach((p, pi) => {
      const s = score(g, p);
      if (s > 0) candidates.push([s, gi, pi]);
    }),
  );
  candidates.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const usedGold = new Set<number>();
  const usedPredicted = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const [, gi, pi] of candidates) {
    if (usedGold.has(gi) || usedPredicted.has(pi)) continue;
    usedGold.add(gi);
    usedPredicted.add(pi);
    pairs.push([gi, pi]);
  }
  return pairs;
}

function overlap(a: Mention, b: Mention): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** Same keys and same values; strings compare case-insensitively, numbers exactly. */
export function valuesEqual(a: MentionValue, b: MentionValue): boolean {
  const keysA = Object.keys(a).sort();
  const keysB = Object.keys(b).sort();
  if (keysA.length !== keysB.length || keysA.some((k, i) => k !== keysB[i])) return false;
  return keysA.every((k) => {
    const x = a[k];
    const y = b[k];
    if (typeof x === 'string' && typeof y === 'string') return x.trim().toLowerCase() === y.trim().toLowerCase();
    return x === y;
  });
}

function prf(matches: number, predicted: number, gold: number): Prf {
  const p = ratio(matches, predicted);
  const r = ratio(matches, gold);
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

function emptyCounts(): Counts {
  return { gold: 0, predicted: 0, strictMatches: 0, lenientMatches: 0, valueMatches: 0, assertionMatches: 0 };
}

function add(a: Counts | undefined, b: Counts): Counts {
  const base = a ?? emptyCounts();
  return {
    gold: base.gold + b.gold,
    predicted: base.predicted + b.predicted,
    strictMatches: base.strictMatches + b.strictMatches,
    lenientMatches: base.lenientMatches + b.lenientMatches,
    valueMatches: base.valueMatches + b.valueMatches,
    assertionMatches: base.assertionMatches + b.assertionMatches,
  };
}
