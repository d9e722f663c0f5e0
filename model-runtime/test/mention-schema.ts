// A mention-list schema for the constrained-decoding tests (the server builds the real one with all 17 types), and
// the test's own statement of that shape, written without the automaton.
import type { JsonSchema } from '../src/constrain/json-schema.ts';

export const TYPES = ['primary_site', 'histology', 'laterality', 'grade', 'tnm', 'stage_group', 'tumor_size'];
export const ASSERTIONS = ['present', 'negated', 'possible', 'historical', 'family', 'hypothetical'];

/** The shape of the phenotype-json prompt's answer (the server builds the same with all 17 types). */
export const MENTIONS: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: TYPES },
      text: { type: 'string', minLength: 1, maxLength: 40 },
      assertion: { type: 'string', enum: ASSERTIONS },
    },
    required: ['type', 'text'],
  },
};

/** Whether a parsed value has the mention shape (the test's own statement of the schema, not the automaton's). */
export function isMentionList(value: unknown, types = TYPES, maxText = 40): boolean {
  if (!Array.isArray(value)) return false;
  return value.every((item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
    const r = item as Record<string, unknown>;
    if (Object.keys(r).some((k) => !['type', 'text', 'assertion'].includes(k))) return false;
    if (typeof r.type !== 'string' || !types.includes(r.type)) return false;
    if (typeof r.text !== 'string' || r.text.length === 0 || r.text.length > maxText) return false;
    return r.assertion === undefined || (typeof r.assertion === 'string' && ASSERTIONS.includes(r.assertion));
  });
}
