// The ConText algorithm (Chapman et al.): triggers found in a mention's sentence assert it negated, possible,
// historical, hypothetical or family when the mention lies in the trigger's scope. A scope runs forward, backward
// or both from the trigger, stops at the sentence edge, at a termination term and after `maxScope` tokens;
// pseudo-triggers ("no change", "not ruled out") are matched first and hide the shorter triggers inside them.
import type { AnnotatedMention, Assertion } from '@cancerllm/protocol';
import type { ParsedNote } from '../note/index.ts';
import {
  type ContextRule,
  type ContextRules,
  type PhraseNode,
  type SectionCategory,
  type SectionDefault,
  type TriggerCategory,
} from './rules.ts';

interface TriggerMatch {
  start: number;
  end: number;
  rules: readonly ContextRule[];
}

/** A sentence's triggers, with its terminators apart: scope checks look only at those. */
interface SentenceTriggers {
  end: number;
  triggers: TriggerMatch[];
  terminators: TriggerMatch[];
}

interface Verdict {
  assertion: Assertion;
  trigger?: string;
}

export function assignWithRules(
  rules: ContextRules,
  note: ParsedNote,
  mentions: readonly AnnotatedMention[],
): AnnotatedMention[] {
  const text = note.text;
  // Per call, not per module: triggers by sentence start and section kinds by section index.
  const triggersBySentence = new Map<number, SentenceTriggers>();
  const sectionKinds = new Map<number, SectionCategory | undefined>();
  return mentions.map((mention) => {
    const [start, end] = sentenceSpan(note, mention);
    let cached = triggersBySentence.get(start);
    if (!cached || cached.end !== end) {
      const triggers = findTriggers(rules, text, start, end);
      cached = { end, triggers, terminators: triggers.filter((t) => t.rules.some((r) => r.category === 'terminate')) };
      triggersBySentence.set(start, cached);
    }
    const section = sectionCategory(rules, note, mention.start, sectionKinds);
    const verdict = decide(rules, text, mention, cached, section);
    const provenance = {
      source: mention.provenance?.source ?? 'rules',
      ...(verdict.trigger === undefined ? {} : { trigger: verdict.trigger }),
    };
    return { ...mention, assertion: verdict.assertion, provenance };
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

/**
 * Leftmost-longest phrase matches over the sentence's tokens; a match hides the shorter phrases inside it. One scan,
 * no token array: a token is looked up by its lower-case text, and only a hit reads the tokens after it.
 */
function findTriggers(rules: ContextRules, text: string, start: number, end: number): TriggerMatch[] {
  const lower = text.slice(start, end).toLowerCase();
  const found: TriggerMatch[] = [];
  const cursor: Cursor = {
    text,
    lower,
    base: start,
    end,
    tokenStart: 0,
    tokenEnd: 0,
    number: false,
    matchedLength: 0,
    matchedEnd: 0,
  };
  let pos = start;
  while (nextToken(cursor, pos)) {
    const first = { start: cursor.tokenStart, end: cursor.tokenEnd, number: cursor.number };
    const matchEnd = longestPhraseAt(rules, cursor, first);
    if (matchEnd > 0) {
      found.push({ start: first.start, end: matchEnd, rules: cursor.matched! });
      pos = matchEnd;
    } else {
      pos = first.end;
    }
  }
  return found;
}

interface Cursor {
  text: string;
  /** The sentence in lower case; index i holds text[base + i]. */
  lower: string;
  base: number;
  end: number;
  tokenStart: number;
  tokenEnd: number;
  number: boolean;
  matched?: readonly ContextRule[];
  /** Tokens and end of the longest phrase found so far at the current position. */
  matchedLength: number;
  matchedEnd: number;
}

/** Moves the cursor to the first token at or after `pos`; false at the sentence end. */
function nextToken(c: Cursor, pos: number): boolean {
  const text = c.text;
  let i = pos;
  while (i < c.end && isBlankCode(text.charCodeAt(i))) i++;
  if (i >= c.end) return false;
  c.tokenStart = i;
  if (isWordChar(text.charCodeAt(i))) {
    let digits = true;
    while (i < c.end && isWordChar(text.charCodeAt(i))) {
      const code = text.charCodeAt(i);
      if (code < 48 || code > 57) digits = false;
      i++;
    }
    c.number = digits;
  } else {
    const pair =
      (text.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < c.end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
    c.number = false;
  }
  c.tokenEnd = i;
  return true;
}

function tokenText(c: Cursor, start: number, end: number): string {
  return c.lower.slice(start - c.base, end - c.base);
}

/** End of the longest phrase starting at `first` (its rules left in `cursor.matched`), or 0. */
function longestPhraseAt(
  rules: ContextRules,
  c: Cursor,
  first: { start: number; end: number; number: boolean },
): number {
  if (!first.number) {
    let head = c.text.charCodeAt(first.start);
    if (head >= 65 && head <= 90) head += 32;
    // Same packing as rules.ts's firstTokenShape, inline: this runs for every token.
    if (!rules.firstTokenShapes.has(head * 256 + Math.min(first.end - first.start, 255))) return 0;
  }
  c.matchedLength = 0;
  walk(rules.phrases, c, first.start, first.end, first.number, 1);
  return c.matchedLength > 0 ? c.matchedEnd : 0;
}

/**
 * Follows the trie from `node` through the token at [start, end) and the tokens after it, keeping the longest
 * phrase (in tokens) that ends on the way; a number token may also follow a "<number>" or "<year>" edge.
 */
function walk(node: PhraseNode, c: Cursor, start: number, end: number, number: boolean, depth: number): void {
  follow(node.next.get(tokenText(c, start, end)), c, end, depth);
  if (!number) return;
  follow(node.next.get('<number>'), c, end, depth);
  if (isYear(c.text, start, end)) follow(node.next.get('<year>'), c, end, depth);
}

function follow(child: PhraseNode | undefined, c: Cursor, end: number, depth: number): void {
  if (!child) return;
  if (child.rules && depth > c.matchedLength) {
    c.matchedLength = depth;
    c.matchedEnd = end;
    c.matched = child.rules;
  }
  if (child.next.size === 0 || !nextToken(c, end)) return;
  walk(child, c, c.tokenStart, c.tokenEnd, c.number, depth + 1);
}

function isBlankCode(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11 || code === 0xa0;
}

/** A year 1950-2049 standing alone: not part of a date ("03/2021", "2021-05") or a decimal. */
function isYear(text: string, start: number, end: number): boolean {
  if (end - start !== 4) return false;
  const year = Number(text.slice(start, end));
  if (!(year >= 1950 && year <= 2049)) return false;
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  return before !== 47 && before !== 45 && before !== 46 && after !== 47 && after !== 45;
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
  for (const trigger of sentence.triggers) {
    for (const rule of trigger.rules) {
      if (rule.category === 'pseudo' || rule.category === 'terminate') continue;
      if (!applies(rule, trigger, mention, sentence.terminators, text, section)) continue;
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
  return { assertion: 'present' };
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
  terminators: readonly TriggerMatch[],
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
    return inScope(rule, trigger.end, mention.start, terminators, text);
  }
  if (trigger.start >= mention.end && rule.direction !== 'forward') {
    return inScope(rule, mention.end, trigger.start, terminators, text);
  }
  return false;
}

/**
 * No terminator for the rule's category between `from` and `to`, and at most `maxScope` tokens. A colon right
 * after a trigger introduces its scope ("At diagnosis: ...") instead of ending it.
 */
function inScope(
  rule: ContextRule,
  from: number,
  to: number,
  terminators: readonly TriggerMatch[],
  text: string,
): boolean {
  for (const t of terminators) {
    if (t.start < from || t.end > to) continue;
    if (text.charCodeAt(t.start) === 58 && text.slice(from, t.start).trim() === '') continue;
    for (const r of t.rules) {
      if (r.category === 'terminate' && (!r.terminates || r.terminates.includes(rule.category))) return false;
    }
  }
  return countWords(text, from, to) <= rule.maxScope;
}

/** A digit not glued to a preceding letter: "0.38", "2.8 cm", but not "MSH6" or "CD20". */
function hasNumber(s: string): boolean {
  return /(?<![A-Za-z])\d/.test(s);
}

// Character classes for the scans above, kept in this module on purpose: these run per character, and a call
// into another module goes through an export getter when the engine runs unbundled (tsx, tests).
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}

/** Number of word and number tokens in text[start, end), as the note tokenizer counts them. */
function countWords(text: string, start: number, end: number): number {
  let count = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const w = isWordChar(text.charCodeAt(i));
    if (w && !inWord) count++;
    inWord = w;
  }
  return count;
}
