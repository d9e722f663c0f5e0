// The ConText algorithm (Chapman et al.): triggers found in a mention's sentence assert it negated, possible,
// historical, hypothetical or family when the mention lies in the trigger's scope. A scope runs forward, backward
// or both from the trigger, stops at the sentence edge, at a termination term and after `maxScope` tokens;
// pseudo-triggers ("no change", "not ruled out") are matched first and hide the shorter triggers inside them.
import type { AnnotatedMention, Assertion } from '@cancerllm/protocol';
import { countWords, type ParsedNote } from '../note/index.ts';
import type { ContextRule, ContextRules, SectionCategory, TriggerCategory } from './rules.ts';

interface TriggerMatch {
  start: number;
  end: number;
  rules: readonly ContextRule[];
}

interface Verdict {
  assertion: Assertion;
  trigger?: string;
}

export function assignWithRules(rules: ContextRules, note: ParsedNote, mentions: readonly AnnotatedMention[]): AnnotatedMention[] {
  const text = note.text;
  const triggersBySentence = new Map<string, TriggerMatch[]>();
  return mentions.map((mention) => {
    const [start, end] = sentenceSpan(note, mention);
    const key = `${start}:${end}`;
    let triggers = triggersBySentence.get(key);
    if (!triggers) {
      triggers = findTriggers(rules, text, start, end);
      triggersBySentence.set(key, triggers);
    }
    const section = sectionCategory(rules, note, mention.start);
    const verdict = decide(rules, text, mention, triggers, section);
    const provenance = { ...(mention.provenance ?? { source: 'rules' }) };
    delete provenance.trigger;
    if (verdict.trigger !== undefined) provenance.trigger = verdict.trigger;
    return { ...mention, assertion: verdict.assertion, provenance };
  });
}

/** The sentence holding the mention; a mention outside every sentence (in a title) gets its own line as context. */
function sentenceSpan(note: ParsedNote, mention: AnnotatedMention): [number, number] {
  const first = note.sentenceAt(mention.start);
  const last = mention.end > mention.start ? note.sentenceAt(mention.end - 1) : first;
  if (first >= 0) {
    const end = last >= 0 ? Math.max(note.sentences[last]!.end, mention.end) : Math.max(note.sentences[first]!.end, mention.end);
    return [note.sentences[first]!.start, end];
  }
  const text = note.text;
  let s = mention.start;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  let e = mention.end;
  while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
  return [s, e];
}

function findTriggers(rules: ContextRules, text: string, start: number, end: number): TriggerMatch[] {
  const sentence = text.slice(start, end);
  const matcher = new RegExp(rules.matcher.source, rules.matcher.flags);
  const found: TriggerMatch[] = [];
  for (let m = matcher.exec(sentence); m !== null; m = matcher.exec(sentence)) {
    if (m[0].length === 0) {
      matcher.lastIndex++;
      continue;
    }
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    if (group < 1) continue;
    found.push({ start: start + m.index, end: start + m.index + m[0].length, rules: rules.groups[group - 1]! });
  }
  return found;
}

function sectionCategory(rules: ContextRules, note: ParsedNote, offset: number): SectionCategory | undefined {
  let index = note.sectionAt(offset);
  while (index >= 0) {
    const section = note.sections[index]!;
    const kind = rules.sections.find((s) => s.pattern.test(section.title))?.kind;
    if (kind) return kind;
    index = section.parent;
  }
  return undefined;
}

function decide(
  rules: ContextRules,
  text: string,
  mention: AnnotatedMention,
  triggers: readonly TriggerMatch[],
  section: SectionCategory | undefined,
): Verdict {
  const hits = new Map<TriggerCategory, TriggerMatch>();
  for (const trigger of triggers) {
    for (const rule of trigger.rules) {
      if (rule.category === 'pseudo' || rule.category === 'terminate') continue;
      if (hits.has(rule.category) && isCloser(hits.get(rule.category)!, trigger, mention)) continue;
      if (applies(rule, trigger, mention, triggers, text, section)) hits.set(rule.category, trigger);
    }
  }
  const category = (c: Exclude<Assertion, 'present'>): TriggerMatch | undefined => hits.get(c);
  if (hits.has('negated') && isNegationExempt(rules, mention)) hits.delete('negated');
  if (hits.has('possible') && rules.possibleAsHypotheticalTypes.has(mention.type)) {
    if (!hits.has('hypothetical')) hits.set('hypothetical', hits.get('possible')!);
    hits.delete('possible');
  }
  if (section === 'family') {
    const negation = category('negated');
    return negation ? found('negated', text, negation) : { assertion: 'family', trigger: 'family history section' };
  }
  for (const assertion of rules.priority) {
    const trigger = category(assertion);
    if (trigger) return found(assertion, text, trigger);
  }
  for (const fallback of rules.sectionDefaults) {
    if (fallback.section !== section) continue;
    if (fallback.types && !fallback.types.includes(mention.type)) continue;
    if (fallback.unlessCategory && hits.has(fallback.unlessCategory)) continue;
    return { assertion: fallback.assertion, trigger: `${section} section` };
  }
  return { assertion: 'present' };
}

function found(assertion: Exclude<Assertion, 'present'>, text: string, trigger: TriggerMatch): Verdict {
  return { assertion, trigger: text.slice(trigger.start, trigger.end).replace(/\s+/g, ' ') };
}

/** Whether `a` is at least as close to the mention as `b`. */
function isCloser(a: TriggerMatch, b: TriggerMatch, mention: AnnotatedMention): boolean {
  return distance(a, mention) <= distance(b, mention);
}

function distance(t: TriggerMatch, m: AnnotatedMention): number {
  if (t.end <= m.start) return m.start - t.end;
  if (t.start >= m.end) return t.start - m.end;
  return 0;
}

function isNegationExempt(rules: ContextRules, mention: AnnotatedMention): boolean {
  if (rules.negationExemptTypes.has(mention.type)) return true;
  // A node count carries its own result: "negative for carcinoma (0/7)" is a present count of zero.
  return mention.type === 'lymph_nodes' && typeof mention.value.positive === 'number';
}

function applies(
  rule: ContextRule,
  trigger: TriggerMatch,
  mention: AnnotatedMention,
  triggers: readonly TriggerMatch[],
  text: string,
  section: SectionCategory | undefined,
): boolean {
  if (rule.types && !rule.types.includes(mention.type)) return false;
  if (rule.inSections && (section === undefined || !rule.inSections.includes(section))) return false;
  const overlaps = trigger.start < mention.end && mention.start < trigger.end;
  if (rule.requiresDigit && !hasDigit(mention.text)) return false;
  if (rule.requiresDigitOrOverlap && !overlaps && !hasDigit(mention.text)) return false;
  if (overlaps) return rule.category !== 'negated';
  if (trigger.end <= mention.start && rule.direction !== 'backward') {
    return inScope(rule, trigger.end, mention.start, triggers, text);
  }
  if (trigger.start >= mention.end && rule.direction !== 'forward') {
    return inScope(rule, mention.end, trigger.start, triggers, text);
  }
  return false;
}

/** No terminator for the rule's category between `from` and `to`, and at most `maxScope` tokens. */
function inScope(rule: ContextRule, from: number, to: number, triggers: readonly TriggerMatch[], text: string): boolean {
  for (const t of triggers) {
    if (t.start < from || t.end > to) continue;
    for (const r of t.rules) {
      if (r.category === 'terminate' && (!r.terminates || r.terminates.includes(rule.category))) return false;
    }
  }
  return countWords(text, from, to) <= rule.maxScope;
}

function hasDigit(s: string): boolean {
  return /\d/.test(s);
}
