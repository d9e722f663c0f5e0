// The one analyzer interface every backend implements (rule engine today; local or remote models later).
import { analyzeNote, type AnalysisResult } from '@cancerllm/engine';

export interface Analyzer {
  /** Shown in the status bar and as the diagnostics' source, e.g. "rules". */
  readonly name: string;
  /** Resolves with mentions and problems; rejects only with an AbortError when `signal` aborts. */
  analyze(text: string, signal: AbortSignal): Promise<AnalysisResult>;
}

/** The embedded rule-and-lexicon engine: no model, no network, always available. */
export class RuleAnalyzer implements Analyzer {
  readonly name = 'rules';

  async analyze(text: string, signal: AbortSignal): Promise<AnalysisResult> {
    signal.throwIfAborted();
    return analyzeNote(text);
  }
}
