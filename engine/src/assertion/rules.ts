// Reads the ConText rule data (context-rules.json) into typed, compiled rules: phrases become token sequences
// indexed by their first token, so a sentence's triggers are found in one pass over its tokens, longest first.
import type { Assertion, PhenotypeType } from '@cancerllm/protocol';
import { tokenize } from '../note/index.ts';
import { tokenHash, tokenHashSlot } from './triggers.ts';

export type TriggerCategory = Exclude<Assertion, 'present'> | 'current' | 'pseudo' | 'terminate';
export type Direction = 'forward' | 'backward' | 'bidirectional';
export type SectionCategory = 'family' | 'history' | 'plan';

export interface ContextRule {
  phrase: string;
  category: TriggerCategory;
  direction: Direction;
  maxScope: number;
  types?: readonly PhenotypeType[];
  excludeTypes?: readonly PhenotypeType[];
  requiresNumber: boolean;
  requiresNumberOrOverlap: boolean;
  /** Applies only when the trigger lies inside the mention ("PSA was undetectable"). */
  onlyInside: boolean;
  /** Wins over closer triggers of other categories ("if", a relative). */
  dominant: boolean;
  inSections?: readonly SectionCategory[];
  /** For terminate rules: the categories whose scope they end (all when absent). */
  terminates?: readonly TriggerCategory[];
}

export interface SectionDefault {
  section: SectionCategory;
  assertion: Exclude<Assertion, 'present'>;
  types?: readonly PhenotypeType[];
  excludeTypes?: readonly PhenotypeType[];
  unlessCategory?: TriggerCategory;
}

/**
 * A trie of the rule data's phrases by lower-case token; "<year>" and "<number>" edges match a class of tokens.
 * A node where a phrase ends holds that phrase's rules.
 */
export interface PhraseNode {
  /** The lower-case token on the edge into this node ('' at the root). */
  token: string;
  next: Map<string, PhraseNode>;
  /** `next` by `tokenHash` of its tokens (class edges left out): a scan looks a token up without a string. */
  nextByHash: Map<number, PhraseNode>;
  /** Two tokens of `next` share a hash, and `nextByHash` holds only one of them. */
  hashClash: boolean;
  rules?: ContextRule[];
  /** Of `rules`, those that assert a category (neither pseudo nor terminate), for the assertion pass. */
  cueRules: ContextRule[];
  /** Of `rules`, the terminate rules. */
  terminateRules: ContextRule[];
}

export interface ContextRules {
  /** The phrases of every rule, as a token trie. */
  phrases: PhraseNode;
  /** The largest `maxScope` of any rule: no trigger reaches a mention more words away than this. */
  widestScope: number;
  /**
   * A bit set (64K bits, 8 KB, so it stays in cache) with the `tokenHashSlot` of every phrase's first token: a
   * test that rules out nearly every other token before any lookup. Tokens share slots (a filter, not an answer).
   */
  firstTokenSlots: Uint32Array;
  /** Some phrase starts with "<number>": every number is looked up. */
  numberStartsPhrase: boolean;
  /** Some phrase starts with "<year>": every four-digit number is looked up. */
  yearStartsPhrase: boolean;
  sections: Array<{ kind: SectionCategory; pattern: RegExp }>;
  /**
   * Matches a title that some pattern of `sections` matches: one test turns away the many titles that name no
   * section kind, where `sections` would take a test per pattern. Absent when the patterns cannot be joined.
   */
  anySection?: RegExp;
  sectionDefaults: SectionDefault[];
  negationExemptTypes: ReadonlySet<string>;
  /** Per type, per value field, the values that are themselves a negative result. */
  negativeResultValues: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  possibleAsHypotheticalTypes: ReadonlySet<string>;
  /** Lower index wins when several categories apply. */
  priority: ReadonlyArray<Exclude<Assertion, 'present'>>;
  /** `priority`, then "current": the order in which equally close triggers are weighed. */
  resolutionOrder: ReadonlyArray<Exclude<Assertion, 'present'> | 'current'>;
}

interface RawRule {
  literal?: string;
  category: TriggerCategory;
  direction?: Direction;
  maxScope?: number;
  types?: PhenotypeType[];
  excludeTypes?: PhenotypeType[];
  requiresNumber?: boolean;
  requiresNumberOrOverlap?: boolean;
  onlyInside?: boolean;
  dominant?: boolean;
  inSections?: SectionCategory[];
  terminates?: TriggerCategory[];
}

interface RawRules {
  maxScope: number;
  sections: Array<{ kind: SectionCategory; pattern: string }>;
  sectionDefaults: SectionDefault[];
  negationExemptTypes: string[];
  negativeResultValues?: Record<string, Record<string, string[]>>;
  possibleAsHypotheticalTypes: string[];
  priority: Array<Exclude<Assertion, 'present'>>;
  rules: RawRule[];
}

const CATEGORIES = new Set([
  'negated',
  'possible',
  'historical',
  'hypothetical',
  'family',
  'current',
  'pseudo',
  'terminate',
]);
const DIRECTIONS = new Set(['forward', 'backward', 'bidirectional']);

/** Compiles the rule data; throws with the offending rule when the data file is malformed (a build-time error). */
export function compileRules(data: unknown): ContextRules {
  const raw = data as RawRules;
  if (!raw || !Array.isArray(raw.rules) || typeof raw.maxScope !== 'number')
    throw new Error('context rules: expected { maxScope, rules: [...] }');
  const phrases = phraseNode('');
  raw.rules.forEach((r, i) => {
    if (!CATEGORIES.has(r.category))
      throw new Error(`context rules: rule ${i} has unknown category "${String(r.category)}"`);
    if (r.direction !== undefined && !DIRECTIONS.has(r.direction))
      throw new Error(`context rules: rule ${i} has unknown direction`);
    if (typeof r.literal !== 'string' || r.literal.trim().length === 0)
      throw new Error(`context rules: rule ${i} needs a literal`);
    const rule: ContextRule = {
      phrase: r.literal,
      category: r.category,
      direction: r.direction ?? 'forward',
      maxScope: r.maxScope ?? raw.maxScope,
      requiresNumber: r.requiresNumber === true,
      requiresNumberOrOverlap: r.requiresNumberOrOverlap === true,
      onlyInside: r.onlyInside === true,
      dominant: r.dominant === true,
      ...(r.types ? { types: r.types } : {}),
      ...(r.excludeTypes ? { excludeTypes: r.excludeTypes } : {}),
      ...(r.inSections ? { inSections: r.inSections } : {}),
      ...(r.terminates ? { terminates: r.terminates } : {}),
    };
    for (const tokens of expandPhrase(r.literal)) addPhrase(phrases, tokens, rule);
  });
  const firstTokenSlots = new Uint32Array((1 << 16) / 32);
  for (const key of phrases.next.keys()) {
    const slot = tokenHashSlot(tokenHash(key));
    firstTokenSlots[slot >>> 5]! |= 1 << (slot & 31);
  }
  let widestScope = raw.maxScope;
  raw.rules.forEach((r) => (widestScope = Math.max(widestScope, r.maxScope ?? 0)));
  return {
    widestScope,
    phrases,
    firstTokenSlots,
    numberStartsPhrase: phrases.next.has('<number>'),
    yearStartsPhrase: phrases.next.has('<year>'),
    sections: raw.sections.map((s) => ({ kind: s.kind, pattern: new RegExp(s.pattern, 'i') })),
    ...anySectionPattern(raw.sections.map((s) => s.pattern)),
    sectionDefaults: raw.sectionDefaults,
    negationExemptTypes: new Set(raw.negationExemptTypes),
    negativeResultValues: raw.negativeResultValues ?? {},
    possibleAsHypotheticalTypes: new Set(raw.possibleAsHypotheticalTypes),
    priority: raw.priority,
    resolutionOrder: [...raw.priority, 'current'],
  };
}

/**
 * The section patterns joined as alternatives, when that keeps each one's meaning: a numbered or named group
 * reference would point elsewhere in the joined pattern, and a name may be used once.
 */
function anySectionPattern(patterns: readonly string[]): { anySection?: RegExp } {
  if (patterns.length === 0 || patterns.some((p) => /\\[1-9k]|\(\?<(?![=!])/.test(p))) return {};
  return { anySection: new RegExp(patterns.map((p) => `(?:${p})`).join('|'), 'i') };
}

function addPhrase(root: PhraseNode, tokens: readonly string[], rule: ContextRule): void {
  let node = root;
  for (const token of tokens) {
    let child = node.next.get(token);
    if (!child) {
      child = phraseNode(token);
      node.next.set(token, child);
      if (!CLASS_TOKENS.has(token)) {
        const hash = tokenHash(token);
        if (node.nextByHash.has(hash)) node.hashClash = true;
        else node.nextByHash.set(hash, child);
      }
    }
    node = child;
  }
  (node.rules ??= []).push(rule);
  if (rule.category === 'terminate') node.terminateRules.push(rule);
  else if (rule.category !== 'pseudo') node.cueRules.push(rule);
}

/** Tokens of a literal that stand for a class of tokens, not for themselves. */
const CLASS_TOKENS = new Set(['<year>', '<number>']);

function phraseNode(token: string): PhraseNode {
  return { token, next: new Map(), nextByHash: new Map(), hashClash: false, cueRules: [], terminateRules: [] };
}

/**
 * A literal as token sequences: words split on blanks, then into the engine's tokens ("s/p" is s, /, p); a word
 * written "a|b" expands into one sequence per alternative.
 */
function expandPhrase(literal: string): string[][] {
  let sequences: string[][] = [[]];
  for (const word of literal.trim().toLowerCase().split(/\s+/)) {
    const alternatives = word
      .split('|')
      .filter(Boolean)
      .map((alt) => (CLASS_TOKENS.has(alt) ? [alt] : tokenTexts(alt)));
    sequences = sequences.flatMap((seq) => alternatives.map((alt) => [...seq, ...alt]));
  }
  return sequences.filter((seq) => seq.length > 0);
}

function tokenTexts(word: string): string[] {
  return tokenize(word).map((t) => word.slice(t.start, t.end));
}
