// The language server's behaviour, independent of the transport: which documents are analysed, with which settings,
// and what is published. connection.ts binds it to a real LSP connection; tests can drive it directly.
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  isAssertion,
  isPhenotypeType,
  type AnnotatedMention,
  type CurateParams,
  type CurateResult,
  type ExportParams,
  type ExportResultMessage,
  type ServerStatusParams,
} from '@cancerllm/protocol';
import { parseNote, type AnalysisResult, type ParsedNote } from '@cancerllm/engine';
import { AnalysisScheduler } from './analysis-scheduler.ts';
import type { Analyzer } from './analyzer.ts';
import { DEFAULT_SETTINGS, settingsFrom, type NoteSettings } from './settings.ts';
import { mentionsToDiagnostics, orphanDiagnostic } from './to-lsp.ts';
import { CurationStore } from './curation/store.ts';
import type { CurationDecision } from './curation/sidecar.ts';
import { FileWriteError } from './files/atomic-write.ts';
import { exportNotes } from './export/export-request.ts';
import { notePathOf } from './files/note-files.ts';

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
  private workspaceFolders: string[] = [];
  /** The version last scheduled per document: opening a document also reports a content change for it. */
  private readonly scheduledVersions = new Map<string, number>();

  constructor(
    private readonly port: ServerPort,
    private readonly documents: DocumentSource,
    private readonly analyzer: Analyzer,
    private readonly curation: CurationStore = new CurationStore(),
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
    if (!immediately && this.scheduledVersions.get(document.uri) === document.version) return;
    this.scheduledVersions.set(document.uri, document.version);
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
    this.scheduledVersions.delete(uri);
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
      stored = { version: document.version, mentions: this.curate(document, result.mentions).mentions };
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
    const { mentions, orphans } = this.curate(document, result.mentions);
    this.analyses.set(uri, { version, mentions });
    this.published.add(uri);
    this.port.publishDiagnostics({
      uri,
      version,
      diagnostics: [
        ...mentionsToDiagnostics(document, mentions, settings, this.analyzer.name),
        ...orphans.map((orphan) => orphanDiagnostic(document, orphan)),
      ],
    });
  }

  /** Applies the note's curation sidecar to what the analyzer found; an unusable sidecar is reported, not fatal. */
  private curate(document: TextDocument, found: AnnotatedMention[]): { mentions: AnnotatedMention[]; orphans: CurationDecision[] } {
    const path = notePathOf(document.uri);
    if (!path) return { mentions: found, orphans: [] };
    const merged = this.curation.merge(path, document.getText(), found);
    if (merged.problem) this.warnOnce(`CancerLLM: ${merged.problem}. It is left untouched and curation of this note is paused until it is fixed.`);
    return merged;
  }

  /** Records a curator's decision; fails with a message (and writes nothing) when the request no longer fits the note. */
  recordDecision(params: CurateParams): CurateResult {
    const document = this.documents.get(params.uri);
    if (!document) return { ok: false, message: 'The note is not open.' };
    const path = notePathOf(params.uri);
    if (!path) return { ok: false, message: 'Curation needs a note saved as a file: save the note first.' };
    if (document.version !== params.version) return { ok: false, message: 'The note changed since this action was offered; try again.' };
    const text = document.getText();
    if (!Number.isInteger(params.start) || !Number.isInteger(params.end) || params.start < 0 || params.end <= params.start || params.end > text.length) {
      return { ok: false, message: 'The span to curate is not inside the note.' };
    }
    if (params.foundType !== undefined && !isPhenotypeType(params.foundType)) return { ok: false, message: `Unknown phenotype type "${params.foundType}".` };
    const mention = params.mention;
    if (mention && (!isPhenotypeType(mention.type) || !isAssertion(mention.assertion))) {
      return { ok: false, message: 'The curated mention needs a known type and assertion.' };
    }
    if (params.action !== 'reject' && !mention) return { ok: false, message: `"${params.action}" needs the curated mention.` };
    if (params.action !== 'add' && params.foundType === undefined) return { ok: false, message: `"${params.action}" needs the type that was found.` };
    try {
      const recorded = this.curation.record(path, text, {
        action: params.action,
        start: params.start,
        end: params.end,
        ...(params.foundType !== undefined ? { foundType: params.foundType } : {}),
        ...(mention && isPhenotypeType(mention.type) && isAssertion(mention.assertion)
          ? { mention: { type: mention.type, assertion: mention.assertion, value: mention.value } }
          : {}),
      });
      if (!recorded.ok) return { ok: false, message: `CancerLLM: ${recorded.message}` };
    } catch (error) {
      if (error instanceof FileWriteError) return { ok: false, message: `CancerLLM: the decision was not saved: ${error.message}. The note and earlier decisions are unchanged.` };
      throw error;
    }
    this.analyses.delete(params.uri);
    void this.documentChanged(document, true);
    return { ok: true };
  }

  setWorkspaceFolders(paths: string[]): void {
    this.workspaceFolders = paths;
  }

  /** Exports curated annotations of the given notes, or of every `*.note` file in the workspace. */
  exportNotes(params: ExportParams): Promise<ExportResultMessage> {
    return exportNotes(params, {
      workspaceFolders: this.workspaceFolders,
      openText: (path) => this.documents.all().find((d) => notePathOf(d.uri) === path)?.getText(),
      analyze: async (text) => (await this.analyzer.analyze(text, new AbortController().signal)).mentions,
      curation: this.curation,
    });
  }

  /** On save, sidecar anchors move with the saved text, so the sidecar matches the file on disk. */
  documentSaved(uri: string): void {
    const document = this.documents.get(uri);
    const path = notePathOf(uri);
    if (!document || !path) return;
    try {
      this.curation.saveAnchors(path, document.getText());
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      this.warnOnce(`CancerLLM: curated annotations could not be re-anchored on save: ${error.message}. The sidecar is unchanged.`);
    }
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
