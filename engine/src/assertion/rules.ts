// Reads the ConText rule data (context-rules.json) into typed, compiled rules: one case-insensitive regular
// expression finds every trigger of a sentence in one scan, longest phrase first.
import type { Assertion, PhenotypeType } from '@cancerllm/protocol';

export type TriggerCategory = Exclude<Assertion, 'present'> | 'current' | 'pseudo' | 'terminate';
export type Direction = 'forward' | 'backward' | 'bidirectional';
export type SectionCategory = 'family' | 'history' | 'plan';

export interface ContextRule {
  phrase: string;
  category: TriggerCategory;
  direction: Direction;
  maxScope: number;
  types?: readonly PhenotypeType[];
  requiresDigit: boolean;
  requiresDigitOrOverlap: boolean;
  inSections?: readonly SectionCategory[];
  /** For terminate rules: the categories whose scope they end (all when absent). */
  terminates?: readonly TriggerCategory[];
}

export interface SectionDefault {
  section: SectionCategory;
  assertion: Exclude<Assertion, 'present'>;
  types?: readonly PhenotypeType[];
  unlessCategory?: TriggerCategory;
}

export interface ContextRules {
  /** Alternation of every phrase; group i + 1 holds the phrase of `groups[i]`. */
  matcher: RegExp;
  /** The rules behind each capture group (one phrase can carry several rules). */
  groups: ContextRule[][];
  sections: Array<{ kind: SectionCategory; pattern: RegExp }>;
  sectionDefaults: SectionDefault[];
  negationExemptTypes: ReadonlySet<string>;
  possibleAsHypotheticalTypes: ReadonlySet<string>;
  /** Lower index wins when several categories apply. */
  priority: ReadonlyArray<Exclude<Assertion, 'present'>>;
}

interface RawRule {
  literal?: string;
  pattern?: string;
  category: TriggerCategory;
  direction?: Direction;
  maxScope?: number;
  types?: PhenotypeType[];
  requiresDigit?: boolean;
  requiresDigitOrOverlap?: boolean;
  inSections?: SectionCategory[];
  terminates?: TriggerCategory[];
}

interface RawRules {
  maxScope: number;
  sections: Array<{ kind: SectionCategory; pattern: string }>;
  sectionDefaults: SectionDefault[];
  negationExemptTypes: string[];
  possibleAsHypotheticalTypes: string[];
  priority: Array<Exclude<Assertion, 'present'>>;
  rules: RawRule[];
}

const CATEGORIES = new Set(['negated', 'possible', 'historical', 'hypothetical', 'family', 'current', 'pseudo', 'terminate']);
const DIRECTIONS = new Set(['forward', 'backward', 'bidirectional']);

/** Compiles the rule data; throws with the offending rule when the data file is malformed (a build-time error). */
export function compileRules(data: unknown): ContextRules {
  const raw = data as RawRules;
  if (!raw || !Array.isArray(raw.rules) || typeof raw.maxScope !== 'number') throw new Error('context rules: expected { maxScope, rules: [...] }');
  const byKey = new Map<string, { source: string; rules: ContextRule[] }>();
  raw.rules.forEach((r, i) => {
    if (!CATEGORIES.has(r.category)) throw new Error(`context rules: rule ${i} has unknown category "${String(r.category)}"`);
    if (r.direction !== undefined && !DIRECTIONS.has(r.direction)) throw new Error(`context rules: rule ${i} has unknown direction`);
    const phrase = r.literal ?? r.pattern;
    if (typeof phrase !== 'string' || phrase.length === 0) throw new Error(`context rules: rule ${i} needs a literal or a pattern`);
    const source = r.literal !== undefined ? literalSource(r.literal) : patternSource(r.pattern!, i);
    const key = source.toLowerCase();
    const rule: ContextRule = {
      phrase,
      category: r.category,
      direction: r.direction ?? 'forward',
      maxScope: r.maxScope ?? raw.maxScope,
      requiresDigit: r.requiresDigit === true,
      requiresDigitOrOverlap: r.requiresDigitOrOverlap === true,
      ...(r.types ? { types: r.types } : {}),
      ...(r.inSections ? { inSections: r.inSections } : {}),
      ...(r.terminates ? { terminates: r.terminates } : {}),
    };
    const entry = byKey.get(key);
    if (entry) entry.rules.push(rule);
    else byKey.set(key, { source, rules: [rule] });
  });
  // Longest phrase first, so "no evidence of" wins over "no" and "not ruled out" over "ruled out".
  const entries = [...byKey.values()].sort((a, b) => b.source.length - a.source.length);
  const matcher = new RegExp(entries.map((e) => `(${e.source})`).join('|'), 'gi');
  return {
    matcher,
    groups: entries.map((e) => e.rules),
    sections: raw.sections.map((s) => ({ kind: s.kind, pattern: new RegExp(s.pattern, 'i') })),
    sectionDefaults: raw.sectionDefaults,
    negationExemptTypes: new Set(raw.negationExemptTypes),
    possibleAsHypotheticalTypes: new Set(raw.possibleAsHypotheticalTypes),
    priority: raw.priority,
  };
}

/** A literal phrase: blanks match any whitespace run; word edges must not touch other letters or digits. */
function literalSource(literal: string): string {
  const words = literal.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return withEdges(words, literal.trim());
}

function patternSource(pattern: string, index: number): string {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new Error(`context rules: rule ${index} has an invalid pattern: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Capture groups inside a pattern would shift the group numbering: make them non-capturing.
  const safe = pattern.replace(/\((?!\?)/g, '(?:');
  // Patterns start and end on word edges, except one ending in a hyphen ("non-" joins the next word).
  return `(?<![A-Za-z0-9])(?:${safe})${pattern.endsWith('-') ? '' : '(?![A-Za-z0-9])'}`;
}

function withEdges(source: string, shape: string): string {
  const first = shape.charCodeAt(0);
  const last = shape.charCodeAt(shape.length - 1);
  const before = isAlnum(first) ? '(?<![A-Za-z0-9])' : '';
  const after = isAlnum(last) ? '(?![A-Za-z0-9])' : '';
  return `${before}(?:${source})${after}`;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
