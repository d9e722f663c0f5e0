// A fixed pool of analysis worker threads (dist/analysis-worker.js) for batch annotation: one note per message,
// results in whatever order they finish; the caller keeps its own order.
import { Worker } from 'node:worker_threads';
import type { AnalysisResult } from '@cancerllm/engine';
import type { WorkerReply, WorkerRequest } from '../worker-analyzer.ts';

interface Job {
  id: number;
  text: string;
  resolve: (result: AnalysisResult) => void;
  reject: (error: Error) => void;
}

export class AnalysisPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(workerScript: string, size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn(workerScript));
  }

  analyze(text: string): Promise<AnalysisResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, text, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private spawn(script: string): Worker {
    const worker = new Worker(script);
    worker.on('message', (reply: WorkerReply) => {
      const job = this.busy.get(worker);
      if (!job || job.id !== reply.id) return;
      this.busy.delete(worker);
      this.idle.push(worker);
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(new Error(`analysis failed: ${reply.error}`));
      this.dispatch();
    });
    worker.on('error', (error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      job?.reject(error);
    });
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.postMessage({ id: job.id, text: job.text } satisfies WorkerRequest);
    }
  }
}
