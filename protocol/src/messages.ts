// Every custom LSP message of CancerLLM Notes, declared once; documented in docs/lsp-extensions.md
// (a test keeps the two in sync). Direction is in each comment.

/** server → client notification: what the server analyses with, for the status bar. */
export const SERVER_STATUS_NOTIFICATION = 'cancerllm/serverStatus';

export interface ServerStatusParams {
  /** The active analyzer, e.g. "rules". */
  analyzer: string;
  /** "ok" while it works; "warning" when a setting was rejected or a model fell back; "error" when analysis fails. */
  health: 'ok' | 'warning' | 'error';
  /** A short human-readable explanation when health is not "ok". Never contains note text. */
  message?: string;
}

/** Commands the client registers; the server names them in code lenses and code actions. */
export const CLIENT_COMMANDS = {
  showSummary: 'cancerllm.showSummary',
  generateDiagnosis: 'cancerllm.generateDiagnosis',
  generateTreatmentPlan: 'cancerllm.generateTreatmentPlan',
} as const;

/** client → server request: the note's phenotype summary as rows, for the summary table. */
export const SUMMARY_REQUEST = 'cancerllm/summary';

export interface SummaryParams {
  uri: string;
}

export interface SummaryResult {
  /** The one-line summary shown in the code lens. */
  line: string;
  rows: Array<{ type: string; label: string; values: string[] }>;
}
