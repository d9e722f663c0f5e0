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
  curateMention: 'cancerllm.curateMention',
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

/** What a curation quick fix asks for; the client prompts for what `changeType`, `editValue` and `setAssertion` need. */
export type CurationIntent = 'accept' | 'reject' | 'changeType' | 'editValue' | 'setAssertion' | 'add';

/** Arguments of the client command `cancerllm.curateMention`, as the server puts them in code actions. */
export interface CurateMentionArguments {
  uri: string;
  version: number;
  intent: CurationIntent;
  start: number;
  end: number;
  /** The mention as found (absent for `add`). */
  mention?: { type: string; value: Record<string, string | number>; assertion: string };
}

/** client → server request: record a curation decision in the note's sidecar. */
export const CURATE_REQUEST = 'cancerllm/curate';

export interface CurateParams {
  uri: string;
  /** The document version the span refers to; a newer version makes the request fail, never misplace a decision. */
  version: number;
  action: 'accept' | 'reject' | 'add';
  start: number;
  end: number;
  /** The analyzer's type of the mention decided on (accept, reject). */
  foundType?: string;
  /** The mention as the curator wants it (accept, add). */
  mention?: { type: string; value: Record<string, string | number>; assertion: string };
}

export type CurateResult = { ok: true } | { ok: false; message: string };

/** client → server request: write curated annotations of notes into a folder. */
export const EXPORT_REQUEST = 'cancerllm/export';

export interface ExportParams {
  format: 'jsonl' | 'brat' | 'fhir';
  /** Absolute path of the folder to write into (created if missing). */
  outDir: string;
  /** The notes to export; when absent, every `*.note` file in the workspace folders. */
  uris?: string[];
}

export interface ExportResultMessage {
  written: number;
  /** Files that could not be read or written, with the reason; the rest were exported. */
  failures: Array<{ file: string; reason: string }>;
}
