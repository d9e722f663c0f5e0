// Per-document, debounced analysis. A newer version of a document cancels the pending or running analysis of the
// older one, and a result is delivered only if its version is still the document's current version.
import type { AnalysisResult } from '@cancerllm/engine';
import type { Analyzer } from './analyzer.ts';

export interface AnalysisRequest {
  uri: string;
  version: number;
  text: string;
  debounceMs: number;
}

export interface AnalysisSink {
  /** Called with results for a version that was current when they were computed and still is. */
  deliver(uri: string, version: number, result: AnalysisResult): void;
  /** Called when the analyzer failed for a current version; the message never contains note text. */
  fail(uri: string, version: number, message: string): void;
  /** The document's current version, or undefined once it is closed. */
  currentVersion(uri: string): number | undefined;
}

interface Pending {
  version: number;
  timer?: NodeJS.Timeout;
  controller: AbortController;
}

export class AnalysisScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly analyzer: () => Analyzer,
    private readonly sink: AnalysisSink,
  ) {}

  schedule(request: AnalysisRequest): void {
    this.cancel(request.uri);
    const entry: Pending = { version: request.version, controller: new AbortController() };
    this.pending.set(request.uri, entry);
    const start = (): void => {
      entry.timer = undefined;
      void this.run(request, entry);
    };
    if (request.debounceMs === 0) start();
    else entry.timer = setTimeout(start, request.debounceMs);
  }

  /** Drops pending and running work for a document (on close, or before newer work). */
  cancel(uri: string): void {
    const entry = this.pending.get(uri);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.controller.abort();
    this.pending.delete(uri);
  }

  cancelAll(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }

  private async run(request: AnalysisRequest, entry: Pending): Promise<void> {
    const { signal } = entry.controller;
    try {
      const result = await this.analyzer().analyze(request.text, signal);
      if (!this.isCurrent(request, entry)) return;
      this.sink.deliver(request.uri, request.version, result);
    } catch (error) {
      if (signal.aborted || !this.isCurrent(request, entry)) return;
      this.sink.fail(request.uri, request.version, error instanceof Error ? `${error.name}: analysis failed` : 'analysis failed');
    } finally {
      if (this.pending.get(request.uri) === entry) this.pending.delete(request.uri);
    }
  }

  private isCurrent(request: AnalysisRequest, entry: Pending): boolean {
    return !entry.controller.signal.aborted && this.sink.currentVersion(request.uri) === request.version;
  }
}
