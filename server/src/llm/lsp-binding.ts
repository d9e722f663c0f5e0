// Binds the LLM features to the LSP connection: draft generation and acceptance, progress, the remote API key and
// the drafts' code lenses. Wiring only; the behaviour is in DraftGenerator and ModelHost.
import { TextDocumentEdit, type CancellationToken, type CodeLens, type Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ACCEPT_DRAFT_REQUEST,
  CLIENT_COMMANDS,
  DRAFT_COMMANDS,
  GENERATE_DRAFT_REQUEST,
  GENERATION_PROGRESS_NOTIFICATION,
  type AcceptDraftArguments,
  type AcceptDraftParams,
  type AcceptDraftResult,
  type GenerateDraftParams,
  type GenerateDraftResult,
} from '@cancerllm/protocol';
import { SERVER_STATUS_NOTIFICATION } from '@cancerllm/protocol';
import type { Analyzer } from '../analyzer.ts';
import { settingsFrom, type NoteSettings } from '../settings.ts';
import { DraftGenerator } from './draft-generation.ts';
import { findDrafts } from './drafts.ts';
import { LlmAnalyzer } from './llm-analyzer.ts';
import { ModelHost } from './model-host.ts';
import { PromptLibrary } from './prompts.ts';

/** The server's LLM side: one model host and prompt library shared by the analyzer and draft generation. */
export class LlmServices {
  readonly host: ModelHost;
  readonly prompts = new PromptLibrary();
  readonly analyzer: LlmAnalyzer;

  constructor(
    private readonly connection: Connection,
    base: Analyzer,
    /** Re-analyse the open documents (model mentions for more sections are cached). */
    reanalyze: () => void,
  ) {
    // why a model runs on the CPU goes to the output channel; when CUDA was expected, to a warning as well
    this.host = new ModelHost(undefined, {
      log: (message) => connection.console.log(message),
      warn: (message) => void connection.window.showWarningMessage(message),
    });
    this.analyzer = new LlmAnalyzer(
      base,
      this.host,
      {
        onExtracted: reanalyze,
        log: (message) => connection.console.log(message),
        unavailable: (message) =>
          void connection.sendNotification(SERVER_STATUS_NOTIFICATION, {
            analyzer: this.analyzer.name,
            health: 'warning',
            message,
          }),
      },
      undefined,
      this.prompts,
    );
  }

  /** Reads the window-level `cancerllm` settings (analyzer, model, remote) and reports the analyzer in the status bar. */
  async configure(canPullConfiguration: boolean): Promise<void> {
    const raw: unknown = canPullConfiguration
      ? await this.connection.workspace.getConfiguration('cancerllm')
      : undefined;
    const before = this.analyzer.name;
    this.analyzer.configure(settingsFrom(raw).settings);
    if (this.analyzer.name !== before)
      void this.connection.sendNotification(SERVER_STATUS_NOTIFICATION, { analyzer: this.analyzer.name, health: 'ok' });
  }

  async dispose(): Promise<void> {
    this.analyzer.dispose();
    await this.host.dispose();
  }
}

export function bindLlm(
  connection: Connection,
  documents: { get(uri: string): TextDocument | undefined },
  settingsOf: (uri: string) => Promise<NoteSettings>,
  llm: LlmServices,
): void {
  const { host } = llm;
  const generator = new DraftGenerator(
    {
      document: (uri) => documents.get(uri),
      settings: settingsOf,
      applyEdits: async (uri, version, edits) => {
        const document = documents.get(uri);
        if (!document || document.version !== version) return false;
        const lspEdits = edits.map((e) => ({
          range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
          newText: e.newText,
        }));
        const result = await connection.workspace.applyEdit({
          label: 'CancerLLM draft',
          edit: { documentChanges: [TextDocumentEdit.create({ uri, version }, lspEdits)] },
        });
        return result.applied;
      },
      progress: (params) => void connection.sendNotification(GENERATION_PROGRESS_NOTIFICATION, params),
      log: (message) => connection.console.log(message),
    },
    host,
    llm.prompts,
  );
  connection.onRequest(
    GENERATE_DRAFT_REQUEST,
    (params: GenerateDraftParams, token: CancellationToken): Promise<GenerateDraftResult> =>
      generator.generate(params, signalOf(token)),
  );
  connection.onRequest(
    ACCEPT_DRAFT_REQUEST,
    (params: AcceptDraftParams): Promise<AcceptDraftResult> => generator.accept(params),
  );
}

/** "Accept Draft" on the first line of each draft block, and "Regenerate" beside it. */
export function draftLenses(document: TextDocument): CodeLens[] {
  return findDrafts(document.getText()).flatMap((draft) => {
    const position = document.positionAt(draft.start);
    const range = { start: position, end: position };
    const args: AcceptDraftArguments = { uri: document.uri, task: draft.task };
    const regenerate =
      draft.task === 'diagnosis' ? CLIENT_COMMANDS.generateDiagnosis : CLIENT_COMMANDS.generateTreatmentPlan;
    return [
      { range, command: { title: 'Accept Draft', command: DRAFT_COMMANDS.acceptDraft, arguments: [args] } },
      { range, command: { title: 'Regenerate', command: regenerate, arguments: [document.uri] } },
    ];
  });
}

function signalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
