// Public surface of the phenotype engine: a note's text in, mentions and problems out.
import type { AnalysisResult } from './analysis.ts';
import { extractMentions } from './extract/index.ts';

export type { AnalysisProblem, AnalysisResult } from './analysis.ts';
export { parseNote, type ParsedNote, type Section, type Sentence } from './note/index.ts';

export function analyzeNote(text: string): AnalysisResult {
  const mentions = extractMentions(text).sort((a, b) => a.start - b.start || a.end - b.end);
  return { mentions, problems: [] };
}
