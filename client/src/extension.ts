// The VS Code extension: starts the language server, shows its status, forwards commands. No analysis here.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CrashPolicy } from './crash-policy.ts';
import { curateMention } from './curation.ts';
import { RESTART_SERVER_COMMAND } from './draft-failure.ts';
import { exportAnnotations } from './export.ts';
import { acceptDraft, generateDraft, isApiKeyChange, serverEnvironment, setRemoteApiKey } from './generation.ts';
import {
  CLIENT_COMMANDS,
  DRAFT_COMMANDS,
  type AcceptDraftArguments,
  type CurateMentionArguments,
  SERVER_STATUS_NOTIFICATION,
  SUMMARY_REQUEST,
  type ServerStatusParams,
  type SummaryResult,
} from '@cancerllm/protocol';

const ANALYSED_LANGUAGES = ['clinical-note', 'plaintext', 'markdown'];

let client: LanguageClient | undefined;
const crashPolicy = new CrashPolicy();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // one object read at every (re)start, so a new API key reaches the restarted server
  const processOptions = { env: await serverEnvironment(context.secrets) };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: processOptions },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { ...processOptions, execArgv: ['--nolazy', '--inspect=6011'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // The server decides per document whether plaintext and markdown are analysed (a setting), so it sees all three.
    documentSelector: ANALYSED_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'cancerllm' },
    outputChannelName: 'CancerLLM Notes',
    errorHandler: crashHandler(crashPolicy),
  };
  client = new LanguageClient('cancerllm', 'CancerLLM Notes', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem('cancerllm.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'CancerLLM';
  status.text = 'CancerLLM: starting…';
  status.command = 'cancerllm.showOutput';
  status.show();
  context.subscriptions.push(
    status,
    client.onNotification(SERVER_STATUS_NOTIFICATION, (params: ServerStatusParams) => showStatus(status, params)),
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, async () => {
      status.text = 'CancerLLM: restarting…';
      crashPolicy.reset();
      await client?.restart();
    }),
    vscode.commands.registerCommand('cancerllm.showOutput', () => client?.outputChannel.show(true)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.curateMention, (args: CurateMentionArguments) =>
      client ? curateMention(client, args) : undefined,
    ),
    vscode.commands.registerCommand('cancerllm.exportAnnotations', () =>
      client ? exportAnnotations(client) : undefined,
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showSummary, (uri?: string) => showSummary(uri)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.generateDiagnosis, (uri?: string) =>
      client ? generateDraft(client, 'diagnosis', uri) : undefined,
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.generateTreatmentPlan, (uri?: string) =>
      client ? generateDraft(client, 'treatment-plan', uri) : undefined,
    ),
    vscode.commands.registerCommand(DRAFT_COMMANDS.acceptDraft, (args: AcceptDraftArguments) =>
      client ? acceptDraft(client, args) : undefined,
    ),
    vscode.commands.registerCommand(DRAFT_COMMANDS.setRemoteApiKey, () => setRemoteApiKey(context.secrets)),
    context.secrets.onDidChange(async (event) => {
      if (!isApiKeyChange(event)) return;
      Object.assign(processOptions.env, await serverEnvironment(context.secrets));
      await client?.restart();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Restarts a crashed server, telling the user once; stops restarting when it keeps crashing. Notes are never touched. */
function crashHandler(policy: CrashPolicy): ErrorHandler {
  return {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      const decision = policy.onCrash(Date.now());
      if (decision === 'give-up') {
        return {
          action: CloseAction.DoNotRestart,
          message:
            'CancerLLM: the language server keeps stopping, so it was not restarted again. Your notes are unchanged. Run "CancerLLM: Restart Language Server" to try again, and see "CancerLLM: Show Output" for details.',
        };
      }
      if (decision === 'restart-and-tell') {
        void vscode.window.showWarningMessage(
          'CancerLLM: the language server stopped unexpectedly and was restarted. Your notes are unchanged.',
        );
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

/** Opens the note's phenotype summary as a Markdown table beside the note. */
async function showSummary(uri?: string): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!target || !client) {
    void vscode.window.showInformationMessage('CancerLLM: open a note to see its phenotype summary.');
    return;
  }
  const summary = await client.sendRequest<SummaryResult | null>(SUMMARY_REQUEST, { uri: target });
  if (!summary) {
    void vscode.window.showInformationMessage(
      'CancerLLM: this document is not analysed (see the setting cancerllm.analysis.plaintextAndMarkdown).',
    );
    return;
  }
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const table = [
    '| Phenotype | Found |',
    '| --- | --- |',
    ...summary.rows.map((row) => `| ${cell(row.label)} | ${row.values.map(cell).join('<br>')} |`),
  ];
  const content = [`# Phenotype summary`, '', `**${cell(summary.line)}**`, '', ...table, ''].join('\n');
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

function showStatus(item: vscode.StatusBarItem, params: ServerStatusParams): void {
  const icon = params.health === 'ok' ? '' : params.health === 'warning' ? '$(warning) ' : '$(error) ';
  item.text = `${icon}CancerLLM: ${params.analyzer}`;
  item.tooltip = params.message ?? `Analysing notes with ${params.analyzer}.`;
  item.backgroundColor =
    params.health === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : params.health === 'warning'
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
}
