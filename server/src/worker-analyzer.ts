// Runs the rule engine off the message loop for long notes: short notes (the common case, a few milliseconds) are
// analysed inline; longer ones in a worker thread. A running analysis cannot be interrupted inside the engine, so
// aborting it terminates the worker; the next request starts a fresh one.
import { Worker } from 'node:worker_threads';
import { analyzeNote, type AnalysisResult } from '@cancerllm/engine';
import type { Analyzer } from './analyzer.ts';

export interface WorkerRequest {
  id: number;
  text: string;
}

export type WorkerReply = { id: number; result: AnalysisResult } | { id: number; error: string };

/** Notes up to this many characters are analysed inline: well under 50 ms at the engine's measured speed. */
export const INLINE_LIMIT_CHARS = 200_000;

export class WorkerAnalyzer implements Analyzer {
  readonly name = 'rules';
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { worker: Worker; resolve: (r: AnalysisResult) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly workerScript: string,
    private readonly inlineLimit = INLINE_LIMIT_CHARS,
  ) {}

  async analyze(text: string, signal: AbortSignal): Promise<AnalysisResult> {
    signal.throwIfAborted();
    if (text.length <= this.inlineLimit) return analyzeNote(text);
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<AnalysisResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.pending.delete(id);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        this.restart();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        worker,
        resolve: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      worker.postMessage({ id, text } satisfies WorkerRequest);
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    for (const { reject } of this.pending.values()) reject(new Error('analyzer disposed'));
    this.pending.clear();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript);
    worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return; // aborted meanwhile
      this.pending.delete(reply.id);
      if ('result' in reply) waiting.resolve(reply.result);
      else waiting.reject(new Error(`analysis worker failed: ${reply.error}`));
    });
    worker.on('error', (error) => this.failAll(worker, error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(worker, new Error('analysis worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  /** Drops the busy worker; requests still waiting on it fail, and later ones go to a fresh worker. */
  private restart(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  /** Fails the requests sent to one worker (a terminated one must not fail those sent to its successor). */
  private failAll(worker: Worker, error: Error): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.worker !== worker) continue;
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}
