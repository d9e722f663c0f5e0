// Public surface of the assertion pass: ConText over a parsed note sets each mention's assertion and the cue
// behind it (`provenance.trigger`). Rules are data: context-rules.json.
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { ParsedNote } from '../note/index.ts';
import { assignWithRules } from './context.ts';
import rulesData from './context-rules.json' with { type: 'json' };
import { compileRules, type ContextRules } from './rules.ts';

export type { ContextRules } from './rules.ts';
export { compileRules } from './rules.ts';

// Compiled once from the bundled data file; immutable, so sharing it across calls holds no state.
const defaultRules: ContextRules = compileRules(rulesData);

/** Returns new mentions with `assertion` and `provenance.trigger` set; the input is not changed. */
export function assignAssertions(
  note: ParsedNote,
  mentions: readonly AnnotatedMention[],
  rules: ContextRules = defaultRules,
): AnnotatedMention[] {
  return assignWithRules(rules, note, mentions);
}
