// "Generate Diagnosis" / "Generate Treatment Plan", "Accept Draft" and "Set Remote API Key": the client prompts,
// shows progress with Cancel and forwards to the server, which generates and inserts the draft itself.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ACCEPT_DRAFT_REQUEST,
  GENERATE_DRAFT_REQUEST,
  GENERATION_PROGRESS_NOTIFICATION,
  REMOTE_API_KEY_ENV,
  type AcceptDraftArguments,
  type AcceptDraftResult,
  type DraftTask,
  type GenerateDraftResult,
  type GenerationProgressParams,
} from '@cancerllm/protocol';
import { draftFailureNotice, rejectedDraft } from './draft-failure.ts';

/** Key of the remote API key in VS Code's SecretStorage. */
const API_KEY_SECRET = 'cancerllm.remote.apiKey';

const TITLES: Record<DraftTask, string> = {
  diagnosis: 'Generate Diagnosis',
  'treatment-plan': 'Generate Treatment Plan',
};

let nextProgressId = 1;

/** Runs one generation with a cancellable progress notification; every failure is a message with a way to fix it. */
export async function generateDraft(client: LanguageClient, task: DraftTask, uri?: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri.toString();
  if (!target) {
    void vscode.window.showInformationMessage(`CancerLLM: open a note to ${TITLES[task].toLowerCase()}.`);
    return;
  }
  const cursor =
    editor && editor.document.uri.toString() === target ? editor.document.offsetAt(editor.selection.active) : undefined;
  const progressId = `${process.pid}-${nextProgressId++}`;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `CancerLLM: ${TITLES[task]}`, cancellable: true },
    async (progress, token) => {
      const listener = client.onNotification(GENERATION_PROGRESS_NOTIFICATION, (p: GenerationProgressParams) => {
        if (p.progressId !== progressId) return;
        progress.report({
          message: p.stage === 'loading' ? 'loading the model…' : `${p.model ?? 'model'}: ${p.chars} characters…`,
        });
      });
      try {
        return await client.sendRequest<GenerateDraftResult>(
          GENERATE_DRAFT_REQUEST,
          { uri: target, task, progressId, ...(cursor !== undefined ? { cursor } : {}) },
          token,
        );
      } catch (error) {
        return unanswered(client, task, error, token);
      } finally {
        listener.dispose();
      }
    },
  );
  if (result.ok) return;
  const notice = draftFailureNotice(TITLES[task], result);
  if (!notice) return;
  const choice = await vscode.window.showWarningMessage(notice.message, ...notice.actions.map((a) => a.title));
  const action = notice.actions.find((a) => a.title === choice);
  if (action?.command === 'workbench.action.openSettings')
    await vscode.commands.executeCommand(action.command, action.argument);
  else if (action) await vscode.commands.executeCommand(action.command);
}

/**
 * The request got no answer: cancelled before it was sent (the client rejects at once), the server stopped
 * meanwhile, or it failed with an error of its own (draft-failure.ts tells which and what to say).
 */
function unanswered(
  client: LanguageClient,
  task: DraftTask,
  error: unknown,
  token: vscode.CancellationToken,
): GenerateDraftResult {
  if (token.isCancellationRequested)
    return { ok: false, reason: 'cancelled', message: 'Generation was cancelled; nothing was inserted.' };
  client.warn(`${TITLES[task]}: the request got no answer`, error, false);
  return rejectedDraft(error);
}

export async function acceptDraft(client: LanguageClient, args: AcceptDraftArguments): Promise<void> {
  const result = await client.sendRequest<AcceptDraftResult>(ACCEPT_DRAFT_REQUEST, args);
  if (!result.ok) void vscode.window.showWarningMessage(`CancerLLM: ${result.message}`);
}

/** Stores the key in SecretStorage (never a settings file); an empty entry removes it. The caller restarts the server. */
export async function setRemoteApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const apiKey = await vscode.window.showInputBox({
    title: 'CancerLLM: Set Remote API Key',
    prompt: 'API key of the remote model server (kept in VS Code secret storage; leave empty to remove it)',
    password: true,
    ignoreFocusOut: true,
  });
  if (apiKey === undefined) return;
  if (apiKey === '') await secrets.delete(API_KEY_SECRET);
  else await secrets.store(API_KEY_SECRET, apiKey);
}

/**
 * The server's environment with the remote API key from SecretStorage: the key reaches the server as an environment
 * variable, never in an LSP message (a message trace would show it).
 */
export async function serverEnvironment(secrets: vscode.SecretStorage): Promise<NodeJS.ProcessEnv> {
  return { ...process.env, [REMOTE_API_KEY_ENV]: (await secrets.get(API_KEY_SECRET)) ?? '' };
}

export function isApiKeyChange(event: vscode.SecretStorageChangeEvent): boolean {
  return event.key === API_KEY_SECRET;
}
