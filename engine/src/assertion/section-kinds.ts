// The kind of section (family history, past history, plan) that holds an offset, from the titles of the section
// and the sections around it: the rule data's `sections` patterns, tried once per section and call (most titles
// name no kind, and one joined pattern turns them away).
import type { ParsedNote } from '../note/index.ts';
import type { ContextRules, SectionCategory } from './rules.ts';

/** Marks a section whose kind was looked at and is none of the rule data's. */
const NO_KIND = null;

/** Per `assignAssertions` call: section kinds by section index, worked out on first use. */
export class SectionKinds {
  private readonly rules: ContextRules;
  private readonly note: ParsedNote;
  /** undefined: not looked at yet. */
  private readonly bySection: Array<SectionCategory | typeof NO_KIND | undefined>;

  constructor(rules: ContextRules, note: ParsedNote) {
    this.rules = rules;
    this.note = note;
    this.bySection = new Array<SectionCategory | typeof NO_KIND | undefined>(note.sections.length);
  }

  /** The kind of the innermost section holding `offset` or, failing that, of a section enclosing it. */
  at(offset: number): SectionCategory | undefined {
    return this.of(this.note.sectionAt(offset));
  }

  /** The kind of the section at `index` (-1: none) or, failing that, of a section enclosing it. */
  of(index: number): SectionCategory | undefined {
    return index < 0 ? undefined : (this.kindOf(index) ?? undefined);
  }

  /** The kind its title names, else its parent's: a header's kind is worked out once for all its fields. */
  private kindOf(index: number): SectionCategory | typeof NO_KIND {
    const known = this.bySection[index];
    if (known !== undefined) return known;
    const section = this.note.sections[index]!;
    const kind = this.titleKind(section.title) ?? (section.parent >= 0 ? this.kindOf(section.parent) : NO_KIND);
    this.bySection[index] = kind;
    return kind;
  }

  /** The kind the title names, if any: the first of the rule data's patterns that matches it. */
  private titleKind(title: string): SectionCategory | undefined {
    const rules = this.rules;
    if (rules.anySection && !rules.anySection.test(title)) return undefined;
    return rules.sections.find((s) => s.pattern.test(title))?.kind;
  }
}
