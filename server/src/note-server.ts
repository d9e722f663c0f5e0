// The language server's behaviour, independent of the transport: which documents are analysed, with which settings,
// and what is published. connection.ts binds it to a real LSP connection; tests can drive it directly.
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnnotatedMention, ServerStatusParams } from '@cancerllm/protocol';
import { parseNote, type AnalysisResult, type ParsedNote } from '@cancerllm/engine';
import { AnalysisScheduler } from './analysis-scheduler.ts';
import type { Analyzer } from './analyzer.ts';
import { DEFAULT_SETTINGS, settingsFrom, type NoteSettings } from './settings.ts';
import { mentionsToDiagnostics } from './to-lsp.ts';

/** What the server needs from its connection. Messages passed here never contain note text. */
export interface ServerPort {
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  /** The raw `cancerllm` configuration section for a document, or undefined when the client cannot say. */
  fetchSettings(uri: string): Promise<unknown>;
  showWarning(message: string): void;
  log(message: string): void;
  sendStatus(params: ServerStatusParams): void;
}

export interface DocumentSource {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/** The mentions of one version of a document, as last published; the parsed note is made on first need. */
export interface DocumentAnalysis {
  document: TextDocument;
  mentions: AnnotatedMention[];
  note(): ParsedNote;
}

interface StoredAnalysis {
  version: number;
  mentions: AnnotatedMention[];
  parsed?: ParsedNote;
}

const ALWAYS_ANALYSED = new Set(['clinical-note']);
const ANALYSED_WHEN_ENABLED = new Set(['plaintext', 'markdown']);

export class NoteServer {
  private readonly scheduler: AnalysisScheduler;
  private readonly settingsByUri = new Map<string, Promise<NoteSettings>>();
  private readonly shownProblems = new Set<string>();
  /** URIs with diagnostics published, so that turning analysis off or closing clears them. */
  private readonly published = new Set<string>();
  private readonly analyses = new Map<string, StoredAnalysis>();

  constructor(
    private readonly port: ServerPort,
    private readonly documents: DocumentSource,
    private readonly analyzer: Analyzer,
  ) {
    this.scheduler = new AnalysisScheduler(() => this.analyzer, {
      deliver: (uri, version, result) => void this.deliver(uri, version, result),
      fail: (uri, version, message) => this.fail(uri, version, message),
      currentVersion: (uri) => this.documents.get(uri)?.version,
    });
  }

  initialized(): void {
    this.port.sendStatus({ analyzer: this.analyzer.name, health: 'ok' });
  }

  documentOpened(document: TextDocument): Promise<void> {
    return this.documentChanged(document, true);
  }

  async documentChanged(document: TextDocument, immediately = false): Promise<void> {
    const settings = await this.settingsFor(document.uri);
    // The document may have changed again while settings were fetched; only the newest version is analysed.
    const current = this.documents.get(document.uri);
    if (!current || current.version !== document.version) return;
    if (!this.isAnalysed(document, settings)) {
      this.clear(document.uri);
      return;
    }
    if (document.getText().length > settings.analysis.maxDocumentChars) {
      this.scheduler.cancel(document.uri);
      this.clear(document.uri);
      this.warnOnce(
        `CancerLLM: ${document.uri} has ${document.getText().length.toLocaleString('en-US')} characters, more than ` +
          `cancerllm.analysis.maxDocumentChars (${settings.analysis.maxDocumentChars.toLocaleString('en-US')}); it is not analysed.`,
      );
      return;
    }
    this.scheduler.schedule({
      uri: document.uri,
      version: document.version,
      text: document.getText(),
      debounceMs: immediately ? 0 : settings.analysis.debounceMs,
    });
  }

  documentClosed(uri: string): void {
    this.scheduler.cancel(uri);
    this.analyses.delete(uri);
    this.settingsByUri.delete(uri);
    this.clear(uri);
  }

  /** Settings changed: forget cached settings and re-analyse every open document. */
  async configurationChanged(): Promise<void> {
    this.settingsByUri.clear();
    await Promise.all(this.documents.all().map((document) => this.documentChanged(document, true)));
  }

  shutdown(): void {
    this.scheduler.cancelAll();
  }

  /**
   * The mentions of the document's current version, for hovers, lenses and the like: the published analysis when it
   * is current, otherwise a fresh one (requests must not answer from a stale version). Undefined for documents that
   * are not analysed.
   */
  async analysisOf(uri: string): Promise<DocumentAnalysis | undefined> {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const settings = await this.settingsFor(uri);
    if (!this.isAnalysed(document, settings) || document.getText().length > settings.analysis.maxDocumentChars) return undefined;
    let stored = this.analyses.get(uri);
    if (!stored || stored.version !== document.version) {
      const result = await this.analyzer.analyze(document.getText(), new AbortController().signal);
      stored = { version: document.version, mentions: result.mentions };
      if (this.documents.get(uri)?.version === document.version) this.analyses.set(uri, stored);
    }
    const entry = stored;
    return {
      document,
      mentions: entry.mentions,
      note: () => (entry.parsed ??= parseNote(document.getText())),
    };
  }

  settingsOf(uri: string): Promise<NoteSettings> {
    return this.settingsFor(uri);
  }

  private isAnalysed(document: TextDocument, settings: NoteSettings): boolean {
    if (ALWAYS_ANALYSED.has(document.languageId)) return true;
    return settings.analysis.plaintextAndMarkdown && ANALYSED_WHEN_ENABLED.has(document.languageId);
  }

  private settingsFor(uri: string): Promise<NoteSettings> {
    let settings = this.settingsByUri.get(uri);
    if (!settings) {
      settings = this.fetchSettings(uri);
      this.settingsByUri.set(uri, settings);
    }
    return settings;
  }

  private async fetchSettings(uri: string): Promise<NoteSettings> {
    let raw: unknown;
    try {
      raw = await this.port.fetchSettings(uri);
    } catch {
      this.port.log('Could not read settings from the client; using defaults.');
      return DEFAULT_SETTINGS;
    }
    const { settings, problems } = settingsFrom(raw);
    for (const problem of problems) this.warnOnce(`CancerLLM: ${problem}`);
    if (problems.length > 0) {
      this.port.sendStatus({ analyzer: this.analyzer.name, health: 'warning', message: 'A setting has an invalid value; see the notification.' });
    }
    return settings;
  }

  private async deliver(uri: string, version: number, result: AnalysisResult): Promise<void> {
    const document = this.documents.get(uri);
    if (!document || document.version !== version) return;
    const settings = await this.settingsFor(uri);
    if (this.documents.get(uri)?.version !== version) return;
    for (const problem of result.problems) this.port.log(`Analysis problem in ${uri}: ${problem.message}`);
    this.analyses.set(uri, { version, mentions: result.mentions });
    this.published.add(uri);
    this.port.publishDiagnostics({
      uri,
      version,
      diagnostics: mentionsToDiagnostics(document, result.mentions, settings, this.analyzer.name),
    });
  }

  /** A failed run publishes empty diagnostics, never stale ones, and says so once. */
  private fail(uri: string, version: number, message: string): void {
    this.port.log(`Analysis of ${uri} failed: ${message}`);
    this.port.publishDiagnostics({ uri, version, diagnostics: [] });
    this.port.sendStatus({ analyzer: this.analyzer.name, health: 'error', message: 'Analysis failed; see the output channel.' });
  }

  private clear(uri: string): void {
    this.analyses.delete(uri);
    if (!this.published.delete(uri)) return;
    this.port.publishDiagnostics({ uri, diagnostics: [] });
  }

  private warnOnce(message: string): void {
    if (this.shownProblems.has(message)) return;
    this.shownProblems.add(message);
    this.port.showWarning(message);
  }
}
