// The generation worker's request handling, apart from the worker_thread wiring so it can be tested in-process:
// one request at a time (user requests before background ones), cancellation between runs, and ONNX Runtime
// failures turned into faults a user can act on (runtime-errors.ts). After a fatal device error the session is not
// run again: every later request gets the same error (the owner must restart the process to use the GPU again).
import { classifyRuntimeError, FAULT_ERROR_NAMES } from '../runtime-errors.ts';
import type { LoadedGeneration } from './generation-strategy.ts';
import type { FromWorker, Priority, Prompt, ToWorker } from './messages.ts';

export class GenerationService {
  private readonly controllers = new Map<number, AbortController>();
  private readonly pending: { priority: Priority; run: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;
  /** Set by a fatal device error: the session (and its CUDA context) must not be used again. */
  private broken: { message: string; name: string; detail: string } | undefined;

  constructor(
    private readonly generation: LoadedGeneration,
    private readonly post: (m: FromWorker) => void,
  ) {}

  handle(m: Exclude<ToWorker, { type: 'close' }>): void {
    switch (m.type) {
      case 'generate-batch':
        this.enqueue(m.id, m.priority, () => this.runBatch(m));
        return;
      case 'generate':
        this.enqueue(m.id, m.priority, () => this.runGenerate(m));
        return;
      case 'encode':
        try {
          this.post({ type: 'encoded', id: m.id, tokens: this.tokensOf(m.prompt) });
        } catch (error) {
          this.fail(m.id, error);
        }
        return;
      case 'cancel':
        this.controllers.get(m.id)?.abort();
        return;
    }
  }

  /** Cancels everything, waits for the running request to stop, then releases the session. */
  async close(): Promise<void> {
    for (const c of this.controllers.values()) c.abort();
    this.pending.length = 0;
    await (this.running ?? Promise.resolve());
    await this.generation.dispose();
  }

  /**
   * close() for the worker's last message: never rejects. Releasing a session can fail (e.g. after a device error);
   * that is logged, and the worker closes its port all the same.
   */
  async shutdown(log: (message: string) => void): Promise<void> {
    try {
      await this.close();
    } catch (error) {
      log(
        `the generation worker could not release the model: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private pump(): void {
    if (this.running) return;
    const i = this.pending.findIndex((j) => j.priority === 'user');
    const [job] = this.pending.splice(i >= 0 ? i : 0, 1);
    if (!job) return;
    this.running = job.run().finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  private enqueue(id: number, priority: Priority, run: () => Promise<void>): void {
    this.controllers.set(id, new AbortController());
    this.pending.push({ priority, run });
    this.pump();
  }

  private tokensOf(prompt: Prompt): number[] {
    const tokenizer = this.generation.folder.tokenizer;
    if ('tokens' in prompt) return [...prompt.tokens];
    if ('messages' in prompt) return tokenizer.encodeChat(prompt.messages);
    return tokenizer.encode(prompt.text);
  }

  private fail(id: number, error: unknown): void {
    const fault = classifyRuntimeError(error, { provider: this.generation.provider, during: 'generating' });
    if (fault.kind === 'other') {
      this.post({
        type: 'error',
        id,
        message: fault.message,
        name: error instanceof Error ? error.name : 'Error',
      });
      return;
    }
    const failure = { message: fault.message, name: FAULT_ERROR_NAMES[fault.kind], detail: fault.detail };
    if (fault.recovery === 'restart-process') this.broken = failure;
    this.post({ type: 'error', id, ...failure });
  }

  private async runGenerate(m: Extract<ToWorker, { type: 'generate' }>): Promise<void> {
    const controller = this.controllers.get(m.id) ?? new AbortController();
    try {
      if (this.broken) {
        this.post({ type: 'error', id: m.id, ...this.broken });
        return;
      }
      const tokens = this.tokensOf(m.prompt);
      const it = this.generation.stream(tokens, m.params, controller.signal);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          this.post({ type: 'done', id: m.id, reason: r.value, promptTokens: tokens.length });
          return;
        }
        this.post({ type: 'chunk', id: m.id, chunk: r.value });
      }
    } catch (error) {
      this.fail(m.id, error);
    } finally {
      this.controllers.delete(m.id);
    }
  }

  private async runBatch(m: Extract<ToWorker, { type: 'generate-batch' }>): Promise<void> {
    const controller = this.controllers.get(m.id) ?? new AbortController();
    try {
      if (this.broken) {
        this.post({ type: 'error', id: m.id, ...this.broken });
        return;
      }
      const results = await this.generation.batch(
        m.prompts.map((p) => this.tokensOf(p)),
        m.params,
        controller.signal,
      );
      this.post({ type: 'batch-done', id: m.id, results });
    } catch (error) {
      this.fail(m.id, error);
    } finally {
      this.controllers.delete(m.id);
    }
  }
}
