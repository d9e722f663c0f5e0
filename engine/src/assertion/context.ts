// The ConText algorithm (Chapman et al.): triggers found in a mention's sentence assert it negated, possible,
// historical, hypothetical or family when the mention lies in the trigger's scope. A scope runs forward, backward
// or both from the trigger, stops at the sentence edge, at a termination term and after `maxScope` tokens;
// pseudo-triggers ("no change", "not ruled out") are matched first and hide the shorter triggers inside them.
import type { AnnotatedMention, Assertion } from '@cancerllm/protocol';
import type { ParsedNote } from '../note/index.ts';
import { Reach } from './reach.ts';
import type { ContextRule, ContextRules, SectionCategory, SectionDefault } from './rules.ts';
import { SectionKinds } from './section-kinds.ts';
import { SentenceTriggerCache, type SentenceTriggers } from './sentence-triggers.ts';
import type { TriggerMatch } from './triggers.ts';

interface Verdict {
  assertion: Assertion;
  trigger?: string;
}

/** The verdict when nothing applies; shared, never changed. */
const PRESENT: Verdict = { assertion: 'present' };

/**
 * A mention in its sentence: the indices in the sentence's `wordStarts` of the first words at or after its start
 * and its end, so that the words between it and a trigger are a subtraction.
 */
interface Placed {
  mention: AnnotatedMention;
  sentence: SentenceTriggers;
  startWord: number;
  endWord: number;
}

export function assignWithRules(
  rules: ContextRules,
  note: ParsedNote,
  mentions: readonly AnnotatedMention[],
): AnnotatedMention[] {
  const sentences = new SentenceTriggerCache(rules, note);
  const sections = new SectionKinds(rules, note);
  const reach = new Reach();
  const assigned: AnnotatedMention[] = [];
  let previous: { mention: AnnotatedMention; verdict: Verdict } | undefined;
  for (const mention of mentions) {
    const sentence = sentences.around(mention);
    const section = sentence.sectionIndex >= 0 ? sections.of(sentence.sectionIndex) : sections.at(mention.start);
    let verdict = decide(rules, note.text, mention, sentence, section, reach);
    if (previous && continuesCurrentList(note.text, previous, mention, verdict, section)) verdict = previous.verdict;
    assigned.push(withVerdict(mention, verdict));
    previous = { mention, verdict };
  }
  return assigned;
}

/**
 * What parts two treatments of one list, a dose after the first allowed: ", ", " and ", "200 mg, ", "6 mg/kg and ".
 */
const TREATMENT_LIST_GAP =
  /^(?:\s*\d[\d.,]*\s*(?:mg|mcg|g|units?|AUC\s*\d*)(?:\s*\/\s*(?:kg|m2|m²|m\^2|day|d))?)?\s*(?:,|and|,\s*and|\/)\s*$/i;

/**
 * Whether a treatment that its section's default alone makes hypothetical (a plan section's) is listed right after
 * one that a "current" cue made present ("on maintenance pembrolizumab, trastuzumab and capecitabine"): the cue's
 * scope, a few words, ends before the list does, but the whole list is what the patient is on.
 */
function continuesCurrentList(
  text: string,
  previous: { mention: AnnotatedMention; verdict: Verdict },
  mention: AnnotatedMention,
  verdict: Verdict,
  section: SectionCategory | undefined,
): boolean {
  return (
    mention.type === 'treatment' &&
    previous.mention.type === 'treatment' &&
    section !== undefined &&
    verdict.trigger === `${section} section` &&
    previous.verdict.assertion === 'present' &&
    previous.mention.end <= mention.start &&
    TREATMENT_LIST_GAP.test(text.slice(previous.mention.end, mention.start))
  );
}

function withVerdict(mention: AnnotatedMention, verdict: Verdict): AnnotatedMention {
  const provenance: NonNullable<AnnotatedMention['provenance']> = { source: mention.provenance?.source ?? 'rules' };
  if (verdict.trigger !== undefined) provenance.trigger = verdict.trigger;
  // Spelled out rather than spread: one object shape for every mention, built in one step.
  return {
    start: mention.start,
    end: mention.end,
    text: mention.text,
    type: mention.type,
    value: mention.value,
    assertion: verdict.assertion,
    provenance,
  };
}

function decide(
  rules: ContextRules,
  text: string,
  mention: AnnotatedMention,
  sentence: SentenceTriggers,
  section: SectionCategory | undefined,
  reach: Reach,
): Verdict {
  findReach(rules, text, mention, sentence, section, reach);
  // Most mentions: no trigger reaches them and their section sets nothing.
  if (reach.size === 0 && section === undefined) return PRESENT;
  if (reach.has('negated') && isNegationExempt(rules, mention)) {
    reach.remove('negated');
    reach.undominate('negated');
  }
  const possible = reach.closest('possible');
  if (possible && rules.possibleAsHypotheticalTypes.has(mention.type)) {
    const hypothetical = reach.closest('hypothetical');
    if (!hypothetical || distance(possible, mention) < distance(hypothetical, mention))
      reach.setClosest('hypothetical', possible);
    reach.remove('possible');
  }
  if (reach.size === 0 && section === undefined) return PRESENT;
  const sectionDefault = defaultFor(rules, section, mention);
  if (sectionDefault?.assertion === 'family') {
    const negation = reach.closest('negated');
    return negation ? found('negated', text, negation) : { assertion: 'family', trigger: 'family history section' };
  }
  const winner = choose(rules, mention, reach);
  if (winner && winner !== 'current') return found(winner, text, reach.closest(winner)!);
  if (sectionDefault && !(sectionDefault.unlessCategory && reach.has(sectionDefault.unlessCategory))) {
    return { assertion: sectionDefault.assertion, trigger: `${section} section` };
  }
  return PRESENT;
}

/** Sets `reach` to the triggers of the sentence that reach the mention. */
function findReach(
  rules: ContextRules,
  text: string,
  mention: AnnotatedMention,
  sentence: SentenceTriggers,
  section: SectionCategory | undefined,
  reach: Reach,
): void {
  reach.clear();
  const cues = sentence.cues;
  if (cues.length === 0) return;
  const words = sentence.wordStarts;
  const startWord = lowerBound(words, mention.start, 0);
  const endWord = lowerBound(words, mention.end, startWord);
  const placed: Placed = { mention, sentence, startWord, endWord };
  // Only triggers within the widest scope (in words) of the mention can reach it.
  const first = startWord - rules.widestScope - 1;
  const last = endWord + rules.widestScope + 1;
  const left = first > 0 ? words[first]! : sentence.start;
  const right = last < words.length ? words[last]! : sentence.end;
  for (let i = firstEndingAtOrAfter(cues, left); i < cues.length && cues[i]!.start <= right; i++) {
    const trigger = cues[i]!;
    for (const rule of trigger.cueRules) {
      if (!applies(rule, trigger, placed, text, section)) continue;
      if (rule.dominant) reach.dominate(rule.category);
      const known = reach.closest(rule.category);
      if (!known || distance(trigger, mention) < distance(known, mention)) reach.setClosest(rule.category, trigger);
    }
  }
}

/** A dominant category first; otherwise the closest trigger; ties go to the rule data's priority order. */
function choose(
  rules: ContextRules,
  mention: AnnotatedMention,
  reach: Reach,
): Exclude<Assertion, 'present'> | 'current' | undefined {
  // A negation reaching a mention that a relative also reaches wins: "no family history of breast cancer".
  if (reach.isDominant('family') && reach.has('negated')) return 'negated';
  for (const category of rules.priority) if (reach.isDominant(category)) return category;
  let best: Exclude<Assertion, 'present'> | 'current' | undefined;
  let bestDistance = Infinity;
  for (const category of rules.resolutionOrder) {
    const trigger = reach.closest(category);
    if (!trigger) continue;
    const d = distance(trigger, mention);
    if (d < bestDistance) {
      best = category;
      bestDistance = d;
    }
  }
  return best;
}

function defaultFor(
  rules: ContextRules,
  section: SectionCategory | undefined,
  mention: AnnotatedMention,
): SectionDefault | undefined {
  if (!section) return undefined;
  const type = mention.type;
  for (const d of rules.sectionDefaults) {
    if (d.section === section && (!d.types || d.types.includes(type)) && !d.excludeTypes?.includes(type)) return d;
  }
  return undefined;
}

function found(assertion: Exclude<Assertion, 'present'>, text: string, trigger: TriggerMatch): Verdict {
  return { assertion, trigger: cueText(text, trigger.start, trigger.end) };
}

/** The trigger as written, each run of white space made one space. */
function cueText(text: string, start: number, end: number): string {
  const written = text.slice(start, end);
  return isOneLine(written) ? written : written.replace(/\s+/g, ' ');
}

/**
 * Printable ASCII with single spaces, which the white-space rewrite leaves as it is (nearly every trigger: the
 * check costs a fraction of the rewrite).
 */
function isOneLine(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const code = s.charCodeAt(k);
    if (code === 32 ? k > 0 && s.charCodeAt(k - 1) === 32 : code < 33 || code > 126) return false;
  }
  return true;
}

function distance(t: TriggerMatch, m: AnnotatedMention): number {
  if (t.end <= m.start) return m.start - t.end;
  if (t.start >= m.end) return t.start - m.end;
  return 0;
}

function isNegationExempt(rules: ContextRules, mention: AnnotatedMention): boolean {
  if (rules.negationExemptTypes.has(mention.type)) return true;
  // A node count carries its own result: "negative for carcinoma (0/7)" is a present count of zero.
  if (mention.type === 'lymph_nodes' && typeof mention.value.positive === 'number') return true;
  const negatives = rules.negativeResultValues[mention.type];
  if (!negatives) return false;
  return Object.entries(negatives).some(([field, values]) => {
    const value = mention.value[field];
    return typeof value === 'string' && values.some((v) => v.toLowerCase() === value.toLowerCase());
  });
}

function applies(
  rule: ContextRule,
  trigger: TriggerMatch,
  placed: Placed,
  text: string,
  section: SectionCategory | undefined,
): boolean {
  const mention = placed.mention;
  if (rule.types && !rule.types.includes(mention.type)) return false;
  if (rule.excludeTypes?.includes(mention.type)) return false;
  if (rule.inSections && (section === undefined || !rule.inSections.includes(section))) return false;
  const overlaps = trigger.start < mention.end && mention.start < trigger.end;
  if (rule.requiresNumber && !hasNumber(mention.text)) return false;
  if (rule.requiresNumberOrOverlap && !overlaps && !hasNumber(mention.text)) return false;
  if (rule.onlyInside && !(trigger.start >= mention.start && trigger.end <= mention.end)) return false;
  // A trigger inside the mention is part of what the mention states ("HER2 not amplified", "non-Hodgkin lymphoma"):
  // negation there belongs to the value; other categories apply ("PSA was undetectable"). A trigger that starts
  // before the mention and runs into it ("no definite | definite findings") leads it.
  if (overlaps && trigger.start >= mention.start) return rule.category !== 'negated';
  if (overlaps) return rule.direction !== 'backward';
  if (trigger.end <= mention.start && rule.direction !== 'backward') {
    const words = placed.startWord - trigger.endWord;
    return inScope(rule, trigger.end, mention.start, words, placed.sentence, text);
  }
  if (trigger.start >= mention.end && rule.direction !== 'forward') {
    const words = trigger.startWord - placed.endWord;
    if (inReasonClause(text, mention, trigger.start)) return false;
    return inScope(rule, mention.end, trigger.start, words, placed.sentence, text);
  }
  return false;
}

/**
 * What opens a clause that gives the reason for what follows it ("Given the nodal involvement, ..."), at the start
 * of a clause: "given" as a verb ("carboplatin was given") opens none.
 */
const REASON_OPENER = /(?:^|[.;:\n]\s*)(?:given|in\s+view\s+of|because\s+of|due\s+to)\b([^;.]*)$/i;
/** The types whose lists a reason clause may hold ("In view of the ER+, PR-, HER2+ phenotype"). */
const RESULT_TYPES = new Set(['receptor_status', 'biomarker']);

/**
 * Whether a mention stands in a reason clause that a comma closes before a backward trigger: "In view of the ER+,
 * PR-, HER2+ phenotype, adjuvant trastuzumab may be considered" holds the receptors as facts; only what follows
 * the clause is what may be considered.
 */
function inReasonClause(text: string, mention: AnnotatedMention, triggerStart: number): boolean {
  const between = text.slice(mention.end, triggerStart);
  if (!between.includes(',')) return false;
  const opener = REASON_OPENER.exec(text.slice(Math.max(0, mention.start - 100), mention.start));
  // A comma between the opener and the mention has closed the clause, unless it parts a list of results.
  return opener !== null && (!opener[1]!.includes(',') || RESULT_TYPES.has(mention.type));
}

/**
 * At most `maxScope` words (`words` start in [from, to)) and no terminator for the rule's category between `from`
 * and `to`. A colon right after a trigger introduces its scope ("At diagnosis: ...") instead of ending it.
 */
function inScope(
  rule: ContextRule,
  from: number,
  to: number,
  words: number,
  sentence: SentenceTriggers,
  text: string,
): boolean {
  if (words > rule.maxScope) return false;
  const terminators = sentence.terminators;
  for (let i = firstStartingAtOrAfter(terminators, from); i < terminators.length; i++) {
    const t = terminators[i]!;
    if (t.end > to) break;
    if (text.charCodeAt(t.start) === 58 && text.slice(from, t.start).trim() === '') continue;
    for (const r of t.terminateRules) {
      if (!r.terminates || r.terminates.includes(rule.category)) return false;
    }
  }
  return true;
}

/** Index of the first value >= `x` in a sorted array (its length when none), known to be `from` or later. */
function lowerBound(sorted: readonly number[], x: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstEndingAtOrAfter(matches: readonly TriggerMatch[], offset: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]!.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstStartingAtOrAfter(matches: readonly TriggerMatch[], offset: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A digit not glued to a preceding letter: "0.38", "2.8 cm", but not "MSH6" or "CD20". */
function hasNumber(s: string): boolean {
  return /(?<![A-Za-z])\d/.test(s);
}
