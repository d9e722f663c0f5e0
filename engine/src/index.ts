// Public surface of the phenotype engine: a note's text in, mentions and problems out. The pipeline parses the
// note, runs the concept extractors, sets assertions with ConText, then sorts and de-duplicates. It never throws:
// an unexpected failure becomes a problem whose message holds no note text.
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { AnalysisProblem, AnalysisResult } from './analysis.ts';
import { assignAssertions } from './assertion/index.ts';
import { extractMentions } from './extract/index.ts';
import { parseNote, type ParsedNote } from './note/index.ts';
import { hasValidSpan, sortUnique } from './mention-order.ts';

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
