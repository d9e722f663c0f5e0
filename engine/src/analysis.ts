// The engine's result type: mentions plus problems. Broken input is data, never an exception.
import type { AnnotatedMention } from '@cancerllm/protocol';

export interface AnalysisProblem {
  /** Machine-readable kind, e.g. "input-too-large". */
  code: string;
  /** A message a user can act on. Never contains note text. */
  message: string;
}

export interface AnalysisResult {
  mentions: AnnotatedMention[];
  problems: AnalysisProblem[];
}
