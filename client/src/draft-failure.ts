// What the user is told when "Generate Diagnosis" / "Generate Treatment Plan" inserted nothing, and the button that
// fixes it. Apart from generation.ts (which needs the VS Code API) so that it can be tested on its own.
import type { GenerateDraftFailure } from '@cancerllm/protocol';

/** The client command that restarts the language server (registered in extension.ts). */
export const RESTART_SERVER_COMMAND = 'cancerllm.restartServer';

/**
 * vscode-jsonrpc's ErrorCodes for a request that lost its connection: MessageWriteError (it could not be sent),
 * PendingResponseRejected (the server stopped while it was pending) and ConnectionInactive (the client was not
 * running when it was sent). The numbers are vscode-jsonrpc's (client/test checks them against that package).
 */
export const CONNECTION_LOST_CODES: readonly number[] = [-32099, -32097, -32096];

export type DraftFailureAction =
  | { title: 'Open Settings'; command: 'workbench.action.openSettings'; argument: string }
  | { title: 'Restart Server'; command: typeof RESTART_SERVER_COMMAND };

export interface DraftFailureNotice {
  message: string;
  actions: DraftFailureAction[];
}

/** The warning for a failed draft, or undefined when there is nothing to say (the user cancelled). */
export function draftFailureNotice(title: string, failure: GenerateDraftFailure): DraftFailureNotice | undefined {
  if (failure.reason === 'cancelled') return undefined;
  const message =
    failure.reason === 'no-model'
      ? `CancerLLM: ${title} needs a language model, and none is configured. ${failure.message}`
      : `CancerLLM: ${title}: ${failure.message}`;
  return { message, actions: actionsFor(failure) };
}

function actionsFor(failure: GenerateDraftFailure): DraftFailureAction[] {
  if (failure.setting)
    return [{ title: 'Open Settings', command: 'workbench.action.openSettings', argument: failure.setting }];
  if (failure.restartServer) return [{ title: 'Restart Server', command: RESTART_SERVER_COMMAND }];
  return [];
}

/**
 * The request was rejected instead of answered. Only a lost connection means the server stopped (a crash: the
 * client restarts it and says so); any other rejection is shown with its own message. A failure value, so the
 * command never ends in an error.
 */
export function rejectedDraft(error: unknown): GenerateDraftFailure {
  if (isConnectionLost(error)) {
    return {
      ok: false,
      reason: 'generation-failed',
      message:
        'the language server stopped before the draft was ready, so nothing was inserted. Run the command again.',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return { ok: false, reason: 'generation-failed', message: `${sentence} Nothing was inserted.` };
}

function isConnectionLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'number' && CONNECTION_LOST_CODES.includes(error.code);
}
