// Public surface of the phenotype engine: a note's text in, mentions and problems out. The pipeline parses the
// note, runs the concept extractors, sets assertions with ConText, then sorts and de-duplicates. It never throws:
// an unexpected failure becomes a problem whose message holds no note text.
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { AnalysisProblem, AnalysisResult } from './analysis.ts';
import { assignAssertions } from './assertion/index.ts';
import { extractMentions } from './extract/index.ts';
import { parseNote, type ParsedNote } from './note/index.ts';

export type { AnalysisProblem, AnalysisResult } from './analysis.ts';
export { parseNote } from './note/index.ts';
export type { ParsedNote, Section, Sentence, Token } from './note/index.ts';
export { assignAssertions } from './assertion/index.ts';

/** The extractors take the parsed note as an optional second argument (they may use its sections and sentences). */
const extract = extractMentions as (text: string, note?: ParsedNote) => AnnotatedMention[];

export function analyzeNote(text: string): AnalysisResult {
  if (typeof text !== 'string') {
    return { mentions: [], problems: [{ code: 'invalid-input', message: 'The note is not text.' }] };
  }
  try {
    return analyze(text);
  } catch (error) {
    // The error's message could quote the note; only its kind is reported.
    const kind = error instanceof Error ? error.name : typeof error;
    return {
      mentions: [],
      problems: [
        { code: 'internal-error', message: `Analysis failed with an internal ${kind}; no mentions were produced.` },
      ],
    };
  }
}

function analyze(text: string): AnalysisResult {
  const problems: AnalysisProblem[] = [];
  const note = parseNote(text);
  const extracted = extract(text, note);
  const valid = extracted.filter((m) => hasValidSpan(text, m));
  if (valid.length < extracted.length) {
    problems.push({
      code: 'invalid-span',
      message: `${extracted.length - valid.length} mention(s) were dropped because their offsets or text did not match the note.`,
    });
  }
  const asserted = assignAssertions(note, valid);
  return { mentions: sortUnique(asserted), problems };
}

/** Offsets are integers inside the note and `text` is exactly the slice they name. */
function hasValidSpan(text: string, m: AnnotatedMention): boolean {
  return (
    Number.isInteger(m.start) &&
    Number.isInteger(m.end) &&
    m.start >= 0 &&
    m.end <= text.length &&
    m.start < m.end &&
    m.text === text.slice(m.start, m.end)
  );
}

/** By start, then end, then type; an exact duplicate (same span, type, value and assertion) is kept once. */
function sortUnique(mentions: AnnotatedMention[]): AnnotatedMention[] {
  const sorted = [...mentions].sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
  // Duplicates share span and type, so they sit in one run of the sorted list; only runs longer than one
  // mention (rare) need the full comparison key.
  const out: AnnotatedMention[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    const first = sorted[i]!;
    while (j < sorted.length && sameSpanAndType(first, sorted[j]!)) j++;
    if (j - i === 1) {
      out.push(first);
    } else {
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const m = sorted[k]!;
        const key = `${m.assertion}:${valueKey(m.value)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(m);
      }
    }
    i = j;
  }
  return out;
}

function sameSpanAndType(a: AnnotatedMention, b: AnnotatedMention): boolean {
  return a.start === b.start && a.end === b.end && a.type === b.type;
}

function valueKey(value: AnnotatedMention['value']): string {
  return Object.keys(value)
    .sort()
    .map((k) => `${k}=${String(value[k])}`)
    .join('|');
}
