// Binds LSP messages to the NoteServer. Only wiring lives here, so the server's behaviour can be tested without it.
import {
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_STATUS_NOTIFICATION } from '@cancerllm/protocol';
import { RuleAnalyzer } from './analyzer.ts';
import { NoteServer } from './note-server.ts';

export const SERVER_NAME = 'cancerllm-notes';

export function bindConnection(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let canPullConfiguration = false;

  const server = new NoteServer(
    {
      publishDiagnostics: (params) => void connection.sendDiagnostics(params),
      fetchSettings: (uri) =>
        canPullConfiguration ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'cancerllm' }) : Promise.resolve(undefined),
      showWarning: (message) => connection.window.showWarningMessage(message),
      log: (message) => connection.console.log(message),
      sendStatus: (params) => void connection.sendNotification(SERVER_STATUS_NOTIFICATION, params),
    },
    documents,
    new RuleAnalyzer(),
  );

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });
  connection.onInitialized(() => server.initialized());
  connection.onDidChangeConfiguration(() => void server.configurationChanged());
  connection.onShutdown(() => server.shutdown());

  documents.onDidOpen(({ document }) => void server.documentOpened(document));
  documents.onDidChangeContent(({ document }) => void server.documentChanged(document));
  documents.onDidClose(({ document }) => server.documentClosed(document.uri));
  documents.listen(connection);
}
