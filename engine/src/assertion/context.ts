// The ConText algorithm (Chapman et al.): triggers found in a mention's sentence assert it negated, possible,
// historical, hypothetical or family when the mention lies in the trigger's scope. A scope runs forward, backward
// or both from the trigger, stops at the sentence edge, at a termination term and after `maxScope` tokens;
// pseudo-triggers ("no change", "not ruled out") are matched first and hide the shorter triggers inside them.
import type { AnnotatedMention, Assertion } from '@cancerllm/protocol';
import type { ParsedNote } from '../note/index.ts';
import { findTriggers, type TriggerMatch } from './triggers.ts';
import type { ContextRule, ContextRules, SectionCategory, SectionDefault, TriggerCategory } from './rules.ts';

/**
 * A sentence's triggers (sorted, non-overlapping), its terminators apart, and the offsets where its words start:
 * token distances and the triggers near a mention are binary searches, so a long sentence with many mentions
 * costs O(mentions x nearby triggers), not O(mentions x triggers x terminators).
 */
interface SentenceTriggers {
  start: number;
  end: number;
  triggers: TriggerMatch[];
  terminators: TriggerMatch[];
  wordStarts: number[];
}

interface Verdict {
  assertion: Assertion;
  trigger?: string;
}

/** The verdict when nothing applies; shared, never changed. */
const PRESENT: Verdict = { assertion: 'present' };

export function assignWithRules(
  rules: ContextRules,
  note: ParsedNote,
  mentions: readonly AnnotatedMention[],
): AnnotatedMention[] {
  const text = note.text;
  // Lower-cased once for every sentence's trigger search, when that keeps the offsets (it does unless the note
  // holds one of the few characters that change length, such as "İ").
  const lowered = text.toLowerCase();
  const lower = lowered.length === text.length ? lowered : undefined;
  // Per call, not per module: triggers by sentence start and section kinds by section index.
  const triggersBySentence = new Map<number, SentenceTriggers>();
  const sectionKinds = new Map<number, SectionCategory | undefined>();
  return mentions.map((mention) => {
    const [start, end] = sentenceSpan(note, mention);
    let cached = triggersBySentence.get(start);
    if (!cached || cached.end !== end) {
      const wordStarts: number[] = [];
      const triggers = findTriggers(rules, text, start, end, wordStarts, lower);
      cached = {
        start,
        end,
        triggers,
        terminators: triggers.filter((t) => t.rules.some((r) => r.category === 'terminate')),
        wordStarts,
      };
      triggersBySentence.set(start, cached);
    }
    const section = sectionCategory(rules, note, mention.start, sectionKinds);
    const verdict = decide(rules, text, mention, cached, section);
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
  });
}

/** The sentence holding the mention; a mention outside every sentence (in a title) gets its own line as context. */
function sentenceSpan(note: ParsedNote, mention: AnnotatedMention): [number, number] {
  const first = note.sentenceAt(mention.start);
  const last = mention.end > mention.start ? note.sentenceAt(mention.end - 1) : first;
  if (first >= 0) {
    const end =
      last >= 0 ? Math.max(note.sentences[last]!.end, mention.end) : Math.max(note.sentences[first]!.end, mention.end);
    return [note.sentences[first]!.start, end];
  }
  const text = note.text;
  let s = mention.start;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  let e = mention.end;
  while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
  return [s, e];
}

function sectionCategory(
  rules: ContextRules,
  note: ParsedNote,
  offset: number,
  cache: Map<number, SectionCategory | undefined>,
): SectionCategory | undefined {
  const first = note.sectionAt(offset);
  if (cache.has(first)) return cache.get(first);
  let kind: SectionCategory | undefined;
  for (let index = first; index >= 0 && !kind; index = note.sections[index]!.parent) {
    const title = note.sections[index]!.title;
    kind = rules.sections.find((s) => s.pattern.test(title))?.kind;
  }
  cache.set(first, kind);
  return kind;
}

function decide(
  rules: ContextRules,
  text: string,
  mention: AnnotatedMention,
  sentence: SentenceTriggers,
  section: SectionCategory | undefined,
): Verdict {
  // The closest applicable trigger of each category, and the categories that some dominant trigger reaches.
  const hits = new Map<TriggerCategory, TriggerMatch>();
  const dominant = new Set<TriggerCategory>();
  const triggers = sentence.triggers;
  // Only triggers within the widest scope (in words) of the mention can reach it.
  const words = sentence.wordStarts;
  const first = triggers.length === 0 ? 0 : lowerBound(words, mention.start) - rules.widestScope - 1;
  const last = triggers.length === 0 ? 0 : lowerBound(words, mention.end) + rules.widestScope + 1;
  const left = first > 0 ? words[first]! : sentence.start;
  const right = last < words.length ? words[last]! : sentence.end;
  for (let i = firstEndingAtOrAfter(triggers, left); i < triggers.length && triggers[i]!.start <= right; i++) {
    const trigger = triggers[i]!;
    for (const rule of trigger.rules) {
      if (rule.category === 'pseudo' || rule.category === 'terminate') continue;
      if (!applies(rule, trigger, mention, sentence, text, section)) continue;
      if (rule.dominant) dominant.add(rule.category);
      const known = hits.get(rule.category);
      if (!known || distance(trigger, mention) < distance(known, mention)) hits.set(rule.category, trigger);
    }
  }
  if (hits.has('negated') && isNegationExempt(rules, mention)) {
    hits.delete('negated');
    dominant.delete('negated');
  }
  if (hits.has('possible') && rules.possibleAsHypotheticalTypes.has(mention.type)) {
    const possible = hits.get('possible')!;
    const hypothetical = hits.get('hypothetical');
    if (!hypothetical || distance(possible, mention) < distance(hypothetical, mention))
      hits.set('hypothetical', possible);
    hits.delete('possible');
  }
  // Most mentions: no trigger reaches them and their section sets nothing.
  if (hits.size === 0 && section === undefined) return PRESENT;
  const sectionDefault = defaultFor(rules, section, mention);
  if (sectionDefault?.assertion === 'family') {
    const negation = hits.get('negated');
    return negation ? found('negated', text, negation) : { assertion: 'family', trigger: 'family history section' };
  }
  const winner = choose(rules, mention, hits, dominant);
  if (winner && winner !== 'current') return found(winner, text, hits.get(winner)!);
  if (sectionDefault && !(sectionDefault.unlessCategory && hits.has(sectionDefault.unlessCategory))) {
    return { assertion: sectionDefault.assertion, trigger: `${section} section` };
  }
  return PRESENT;
}

/** A dominant category first; otherwise the closest trigger; ties go to the rule data's priority order. */
function choose(
  rules: ContextRules,
  mention: AnnotatedMention,
  hits: ReadonlyMap<TriggerCategory, TriggerMatch>,
  dominant: ReadonlySet<TriggerCategory>,
): Exclude<Assertion, 'present'> | 'current' | undefined {
  // A negation reaching a mention that a relative also reaches wins: "no family history of breast cancer".
  if (dominant.has('family') && hits.has('negated')) return 'negated';
  for (const category of rules.priority) if (dominant.has(category)) return category;
  let best: Exclude<Assertion, 'present'> | 'current' | undefined;
  let bestDistance = Infinity;
  for (const category of rules.resolutionOrder) {
    const trigger = hits.get(category);
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
  return rules.sectionDefaults.find(
    (d) =>
      d.section === section && (!d.types || d.types.includes(mention.type)) && !d.excludeTypes?.includes(mention.type),
  );
}

function found(assertion: Exclude<Assertion, 'present'>, text: string, trigger: TriggerMatch): Verdict {
  return { assertion, trigger: text.slice(trigger.start, trigger.end).replace(/\s+/g, ' ') };
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
  mention: AnnotatedMention,
  sentence: SentenceTriggers,
  text: string,
  section: SectionCategory | undefined,
): boolean {
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
    return inScope(rule, trigger.end, mention.start, sentence, text);
  }
  if (trigger.start >= mention.end && rule.direction !== 'forward') {
    return inScope(rule, mention.end, trigger.start, sentence, text);
  }
  return false;
}

/**
 * No terminator for the rule's category between `from` and `to`, and at most `maxScope` tokens. A colon right
 * after a trigger introduces its scope ("At diagnosis: ...") instead of ending it.
 */
function inScope(rule: ContextRule, from: number, to: number, sentence: SentenceTriggers, text: string): boolean {
  const terminators = sentence.terminators;
  for (let i = firstStartingAtOrAfter(terminators, from); i < terminators.length; i++) {
    const t = terminators[i]!;
    if (t.end > to) break;
    if (text.charCodeAt(t.start) === 58 && text.slice(from, t.start).trim() === '') continue;
    for (const r of t.rules) {
      if (r.category === 'terminate' && (!r.terminates || r.terminates.includes(rule.category))) return false;
    }
  }
  return lowerBound(sentence.wordStarts, to) - lowerBound(sentence.wordStarts, from) <= rule.maxScope;
}

/** Index of the first value >= `x` in a sorted array (its length when none). */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
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
