// The mention schema of ../shared/spec/phenotypes.md, as TypeScript types. Every backend produces these,
// every LSP feature, export and evaluation reads them. Offsets are UTF-16 code units, end exclusive.

export const PHENOTYPE_TYPES = [
  'primary_site',
  'histology',
  'laterality',
  'grade',
  'tnm',
  'stage_group',
  'tumor_size',
  'lymph_nodes',
  'metastasis_site',
  'receptor_status',
  'biomarker',
  'gleason',
  'margin_status',
  'lvi',
  'performance_status',
  'treatment',
  'disease_status',
] as const;

export type PhenotypeType = (typeof PHENOTYPE_TYPES)[number];

export const ASSERTIONS = ['present', 'negated', 'possible', 'historical', 'family', 'hypothetical'] as const;

export type Assertion = (typeof ASSERTIONS)[number];

/** Normalized value; its shape depends on the type (see the spec's table). Unknown fields are omitted. */
export type MentionValue = Record<string, string | number>;

export interface Mention {
  start: number;
  end: number;
  /** Exactly `noteText.slice(start, end)`. */
  text: string;
  type: PhenotypeType;
  value: MentionValue;
  assertion: Assertion;
}

/** Why a mention got its assertion, and where it came from: shown in hovers, never exported as spec data. */
export interface MentionProvenance {
  /** The cue that set a non-present assertion, e.g. "no evidence of". */
  trigger?: string;
  /** The analyzer or model that produced the mention, e.g. "rules". */
  source: string;
  /** Set when a curator decided on this mention: accepted as found, corrected, or added by hand. */
  curated?: 'accepted' | 'corrected' | 'added';
}

export type AnnotatedMention = Mention & { provenance?: MentionProvenance };

export function isPhenotypeType(value: unknown): value is PhenotypeType {
  return typeof value === 'string' && (PHENOTYPE_TYPES as readonly string[]).includes(value);
}

export function isAssertion(value: unknown): value is Assertion {
  return typeof value === 'string' && (ASSERTIONS as readonly string[]).includes(value);
}
