// The VS Code extension: starts the language server, shows its status, forwards commands. No analysis here.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_STATUS_NOTIFICATION, type ServerStatusParams } from '@cancerllm/protocol';

const ANALYSED_LANGUAGES = ['clinical-note', 'plaintext', 'markdown'];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The server decides per document whether plaintext and markdown are analysed (a setting), so it sees all three.
    documentSelector: ANALYSED_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'cancerllm' },
    outputChannelName: 'CancerLLM Notes',
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
    vscode.commands.registerCommand('cancerllm.restartServer', async () => {
      status.text = 'CancerLLM: restarting…';
      await client?.restart();
    }),
    vscode.commands.registerCommand('cancerllm.showOutput', () => client?.outputChannel.show(true)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function showStatus(item: vscode.StatusBarItem, params: ServerStatusParams): void {
  const icon = params.health === 'ok' ? '' : params.health === 'warning' ? '$(warning) ' : '$(error) ';
  item.text = `${icon}CancerLLM: ${params.analyzer}`;
  item.tooltip = params.message ?? `Analysing notes with ${params.analyzer}.`;
  item.backgroundColor =
    params.health === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : params.health === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
}
