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
