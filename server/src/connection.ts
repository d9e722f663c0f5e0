// Binds LSP messages to the NoteServer and the feature modules. Only wiring lives here, so the server's behaviour
// can be tested without it.
import {
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CURATE_REQUEST,
  EXPORT_REQUEST,
  type ExportParams,
  type ExportResultMessage,
  SERVER_STATUS_NOTIFICATION,
  SUMMARY_REQUEST,
  type CurateParams,
  type CurateResult,
  type SummaryParams,
  type SummaryResult,
} from '@cancerllm/protocol';
import { RuleAnalyzer } from './analyzer.ts';
import { WorkerAnalyzer } from './worker-analyzer.ts';
import { curationActions } from './features/code-actions.ts';
import { codeLenses } from './features/code-lens.ts';
import { hoverAt } from './features/hover.ts';
import { inlayHints } from './features/inlay-hints.ts';
import { documentSymbols, foldingRanges } from './features/outline.ts';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './features/semantic-tokens.ts';
import { summaryLine, summaryRows } from './features/summary.ts';
import { notePathOf } from './files/note-files.ts';
import { NoteServer } from './note-server.ts';
import { LlmServices, bindLlm, draftLenses } from './llm/lsp-binding.ts';

export const SERVER_NAME = 'cancerllm-notes';

export interface ServerOptions {
  /** Path of the bundled analysis worker (dist/analysis-worker.js); without it every note is analysed inline. */
  analysisWorker?: string;
}

export function bindConnection(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const ruleAnalyzer = options.analysisWorker ? new WorkerAnalyzer(options.analysisWorker) : new RuleAnalyzer();
  let canPullConfiguration = false;
  // the LLM analyzer wraps the rule analyzer; with cancerllm.analyzer = rules (the default) it only passes through
  const llm = new LlmServices(connection, ruleAnalyzer, () => documents.all().forEach((document) => void server.documentOpened(document)));
  const analyzer = llm.analyzer;

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
    analyzer,
  );

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    server.setWorkspaceFolders((params.workspaceFolders ?? []).map((folder) => notePathOf(folder.uri)).filter((path): path is string => path !== undefined));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });
  connection.onInitialized(() => {
    server.initialized();
    void llm.configure(canPullConfiguration);
  });
  connection.onDidChangeConfiguration(() => void llm.configure(canPullConfiguration).then(() => server.configurationChanged()));
  bindLlm(connection, documents, (uri) => server.settingsOf(uri), llm);
  connection.onShutdown(() => {
    void llm.dispose();
    server.shutdown();
    if (ruleAnalyzer instanceof WorkerAnalyzer) ruleAnalyzer.dispose();
  });

  connection.onHover(async ({ textDocument, position }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    return analysis ? hoverAt(analysis.document, analysis.mentions, analysis.document.offsetAt(position)) : null;
  });
  connection.languages.inlayHint.on(async ({ textDocument, range }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    if (!analysis || !(await server.settingsOf(textDocument.uri)).inlayHints.enabled) return [];
    const { document } = analysis;
    return inlayHints(document, analysis.mentions, document.offsetAt(range.start), document.offsetAt(range.end));
  });
  connection.onCodeLens(async ({ textDocument }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    return analysis ? [...codeLenses(textDocument.uri, analysis.mentions), ...draftLenses(analysis.document)] : [];
  });
  connection.onDocumentSymbol(async ({ textDocument }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    return analysis ? documentSymbols(analysis.document, analysis.note()) : [];
  });
  connection.onFoldingRanges(async ({ textDocument }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    return analysis ? foldingRanges(analysis.document, analysis.note()) : [];
  });
  connection.languages.semanticTokens.on(async ({ textDocument }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    return analysis ? semanticTokens(analysis.document, analysis.mentions) : { data: [] };
  });
  connection.onCodeAction(async ({ textDocument, range }) => {
    const analysis = await server.analysisOf(textDocument.uri);
    if (!analysis) return [];
    const { document } = analysis;
    return curationActions(document, analysis.mentions, document.offsetAt(range.start), document.offsetAt(range.end));
  });
  connection.onRequest(CURATE_REQUEST, (params: CurateParams): Promise<CurateResult> => Promise.resolve(server.recordDecision(params)));
  connection.onRequest(EXPORT_REQUEST, (params: ExportParams): Promise<ExportResultMessage> => server.exportNotes(params));
  connection.onRequest(SUMMARY_REQUEST, async ({ uri }: SummaryParams): Promise<SummaryResult | null> => {
    const analysis = await server.analysisOf(uri);
    return analysis ? { line: summaryLine(analysis.mentions), rows: summaryRows(analysis.mentions) } : null;
  });

  documents.onDidOpen(({ document }) => void server.documentOpened(document));
  documents.onDidChangeContent(({ document }) => void server.documentChanged(document));
  documents.onDidClose(({ document }) => server.documentClosed(document.uri));
  documents.onDidSave(({ document }) => {
    server.documentSaved(document.uri);
    llm.analyzer.flush();
  });
  documents.listen(connection);
}
