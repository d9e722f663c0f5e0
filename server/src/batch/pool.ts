// A fixed pool of analysis worker threads (dist/analysis-worker.js) for batch annotation: one note per message,
// results in whatever order they finish; the caller keeps its own order. Each worker is handed its next note
// before it answers the current one, so it never waits for the main thread between notes.
import { Worker } from 'node:worker_threads';
import type { AnalysisResult } from '@cancerllm/engine';
import type { WorkerReply, WorkerRequest } from '../worker-analyzer.ts';

interface Job {
  id: number;
  text: string;
  resolve: (result: AnalysisResult) => void;
  reject: (error: Error) => void;
}

/**
 * Notes a worker holds at once: the one it analyses and the next, already in its message queue. With one, a
 * worker idled for each answer's round trip through the main thread (~18 % of its time in a 10,000-note run).
 */
export const NOTES_PER_WORKER = 2;

export class AnalysisPool {
  /** Each worker with the jobs it holds, by id. */
  private readonly held = new Map<Worker, Map<number, Job>>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(workerScript: string, size: number) {
    for (let i = 0; i < size; i++) this.held.set(this.spawn(workerScript), new Map());
  }

  analyze(text: string): Promise<AnalysisResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.held.keys()].map((worker) => worker.terminate()));
  }

  private spawn(script: string): Worker {
    const worker = new Worker(script);
    worker.on('message', (reply: WorkerReply) => {
      const jobs = this.held.get(worker);
      const job = jobs?.get(reply.id);
      if (!jobs || !job) return;
      jobs.delete(reply.id);
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(new Error(`analysis failed: ${reply.error}`));
      this.dispatch();
    });
    worker.on('error', (error) => {
      // The worker is gone with every note it held; the others go on.
      const jobs = this.held.get(worker);
      this.held.delete(worker);
      for (const job of jobs?.values() ?? []) job.reject(error);
      this.dispatch();
    });
    return worker;
  }

  /** Hands queued notes to the workers holding the fewest, up to NOTES_PER_WORKER each. */
  private dispatch(): void {
    if (this.held.size === 0) {
      // Every worker has failed: nothing would ever take the queued notes.
      for (const job of this.queue.splice(0)) job.reject(new Error('analysis failed: no analysis worker is left'));
      return;
    }
    while (this.queue.length > 0) {
      let chosen: Worker | undefined;
      let fewest = NOTES_PER_WORKER;
      for (const [worker, jobs] of this.held) {
        if (jobs.size < fewest) {
          chosen = worker;
          fewest = jobs.size;
        }
      }
      if (!chosen) return;
      const job = this.queue.shift()!;
      this.held.get(chosen)!.set(job.id, job);
      chosen.postMessage({ id: job.id, text: job.text } satisfies WorkerRequest);
    }
  }
}
