// Custom LSP messages of the LLM features: generated drafts, their progress and acceptance, and the remote API key.
// Documented in docs/lsp-extensions.md (a test keeps the two in sync). Direction is in each comment.

export type DraftTask = 'diagnosis' | 'treatment-plan';

/** Client commands of the LLM features (beside CLIENT_COMMANDS.generateDiagnosis / generateTreatmentPlan). */
export const DRAFT_COMMANDS = {
  /** Arguments: AcceptDraftArguments; the server puts it in each draft's code lens. */
  acceptDraft: 'cancerllm.acceptDraft',
  setRemoteApiKey: 'cancerllm.setRemoteApiKey',
} as const;

/** client → server request: generate a draft and insert it into the note with `workspace/applyEdit`. */
export const GENERATE_DRAFT_REQUEST = 'cancerllm/generateDraft';

export interface GenerateDraftParams {
  uri: string;
  task: DraftTask;
  /** Where to put the draft when the note has no section it belongs after (UTF-16 offset); else the end. */
  cursor?: number;
  /** Echoed in each `cancerllm/generationProgress` notification of this request. */
  progressId: string;
}

/**
 * Why no draft was inserted; `setting` names what to change, when a setting can fix it; `restartServer` says that
 * only a new server process can (after a fatal GPU error), so the client offers to restart it.
 */
export type GenerateDraftFailure = {
  ok: false;
  reason: 'no-model' | 'loading-failed' | 'generation-failed' | 'cancelled' | 'not-a-note' | 'edit-rejected';
  message: string;
  setting?: string;
  restartServer?: true;
};

export type GenerateDraftResult =
  | {
      ok: true;
      /** The model and prompt that produced the draft, as written in its marker line. */
      model: string;
      promptId: string;
      /** The document version the draft was inserted into (the version after the edit is one higher). */
      version: number;
      /** UTF-16 offsets of the inserted block in that version's text plus the edit. */
      start: number;
      end: number;
    }
  | GenerateDraftFailure;

/** server → client notification: progress of one `cancerllm/generateDraft` request. */
export const GENERATION_PROGRESS_NOTIFICATION = 'cancerllm/generationProgress';

export interface GenerationProgressParams {
  progressId: string;
  stage: 'loading' | 'generating';
  /** Characters generated so far. */
  chars: number;
  /** The model's name, once known. */
  model?: string;
}

/** client → server request: remove a draft's marker lines, keeping its text as part of the note. */
export const ACCEPT_DRAFT_REQUEST = 'cancerllm/acceptDraft';

export interface AcceptDraftParams {
  uri: string;
  task: DraftTask;
}

export type AcceptDraftResult = { ok: true } | { ok: false; message: string };

/**
 * Environment variable that carries the remote backend's API key into the server process (and the CLI). The client
 * reads the key from VS Code's secret storage and starts the server with it; it never travels in an LSP message,
 * where `cancerllm.trace.server` would write it to the output channel.
 */
export const REMOTE_API_KEY_ENV = 'CANCERLLM_API_KEY';

/** Arguments of the client command `cancerllm.acceptDraft`, as the server puts them in the draft's code lens. */
export interface AcceptDraftArguments {
  uri: string;
  task: DraftTask;
}
