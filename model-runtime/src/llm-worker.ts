// The asynchronous, cancellable model API the server sees: a model running in a worker_thread. Requests run one
// at a time, user requests before queued background ones; generate() streams chunks and stops at the next step
// (or chunk, with the decode loop) after its AbortSignal fires.
import { Worker } from 'node:worker_threads';
import type { ModelFolderProblem } from './model-folder.ts';
import type { SessionSettings } from './execution-provider.ts';
import type { DoneReason, GenerationChunk, GenerationParams } from './generator.ts';
import type { BatchResult } from './batch-generator.ts';
import type { StrategySetting } from './worker/generation-strategy.ts';
import { faultKindOfName, type FaultRecovery, type RuntimeFaultKind } from './runtime-errors.ts';
import type { FromWorker, ModelInfo, Priority, Prompt, ToWorker, WorkerData } from './worker/messages.ts';

export type { ModelInfo, Priority, Prompt } from './worker/messages.ts';

export interface WorkerOptions extends SessionSettings {
  /** 'auto' (default): the decode loop on CUDA, steps on CPU. */
  strategy?: StrategySetting;
  /** Tokens per run() with the decode loop (default 64: on CUDA the KV round trip is paid once per chunk). */
  chunkSize?: number;
  /** The worker script; defaults to worker/generation-worker.ts beside this file (bundles pass their own). */
  workerUrl?: URL | string;
}

export interface RequestOptions {
  /** 'user' (default) requests run before queued 'background' ones (e.g. re-analysis after an edit). */
  priority?: Priority;
}

export type OpenResult = { ok: true; worker: LlmWorker } | { ok: false; problem: ModelFolderProblem };

export interface GenerationResult {
  reason: DoneReason | 'aborted';
  promptTokens: number;
}

/** Names of failures after which this LlmWorker cannot serve again. */
const WORKER_LOST = 'WorkerError';
const WORKER_DISPOSED = 'WorkerDisposedError';

/**
 * Generation failed inside the worker; `name` is the original error's name (e.g. ContextLengthError), a fault
 * kind's name from runtime-errors.ts (OutOfMemoryError, DeviceError, FatalDeviceError), or WorkerError when the
 * worker thread died.
 */
export class GenerationError extends Error {
  constructor(
    message: string,
    name: string,
    /** For a runtime fault, ONNX Runtime's own words, shortened (e.g. "CUDA failure 700: an illegal memory access…"). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = name;
  }

  /** The runtime fault (runtime-errors.ts) when ONNX Runtime failed in a way the message tells the user how to fix. */
  get fault(): Exclude<RuntimeFaultKind, 'other'> | undefined {
    return faultKindOfName(this.name);
  }

  /**
   * What the owner must do before the next request: 'reopen' when the thread died (dispose this LlmWorker, open the
   * model again); 'restart-process' after a fatal device error (no CUDA work runs in this process any more, so
   * opening the model again here would fail or fall back to the CPU); 'none' otherwise (this worker serves on).
   */
  get recovery(): FaultRecovery {
    if (this.name === WORKER_LOST) return 'reopen';
    return this.fault === 'fatal-device-error' ? 'restart-process' : 'none';
  }
}

type Listener = (m: FromWorker) => void;

export class LlmWorker {
  private nextId = 1;
  private readonly listeners = new Map<number, Listener>();
  private closed = false;
  /** Why the worker thread ended by itself (then every request fails with WorkerError, asking for a reopen). */
  private lost: string | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly info: ModelInfo,
  ) {
    worker.on('message', (m: FromWorker) => {
      if ('id' in m) this.listeners.get(m.id)?.(m);
    });
    worker.on('error', (error) => {
      for (const l of this.listeners.values()) l({ type: 'error', id: -1, message: error.message, name: WORKER_LOST });
    });
    // a worker that dies (out of memory, a native crash) must not leave callers waiting forever
    worker.on('exit', (code) => {
      if (this.closed) return;
      this.closed = true;
      const message = `the generation worker exited unexpectedly (code ${code})`;
      this.lost = message;
      for (const l of this.listeners.values()) l({ type: 'error', id: -1, message, name: WORKER_LOST });
    });
  }

  static async open(modelPath: string, options: WorkerOptions = {}): Promise<OpenResult> {
    const { workerUrl, strategy = 'auto', chunkSize, ...settings } = options;
    const data: WorkerData = { modelPath, settings, strategy, ...(chunkSize ? { chunkSize } : {}) };
    const url = workerUrl ?? sourceWorkerUrl();
    const worker = String(url).endsWith('.ts')
      ? // running from TypeScript sources (tests, `node --import tsx`): loader hooks do not reach workers in Node 20
        new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(String(url))}); })`,
          { eval: true, workerData: data },
        )
      : new Worker(url, { workerData: data });
    const first = await new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw asGenerationError(error);
    });
    if (first.type === 'ready') return { ok: true, worker: new LlmWorker(worker, first.info) };
    await worker.terminate();
    if (first.type === 'load-failed') return { ok: false, problem: first.problem };
    throw new Error(`unexpected first message from the generation worker: ${first.type}`);
  }

  private send(m: ToWorker): void {
    if (this.lost) throw new GenerationError(this.lost, WORKER_LOST);
    if (this.closed) throw new GenerationError('LlmWorker used after dispose()', WORKER_DISPOSED);
    this.worker.postMessage(m);
  }

  async encode(prompt: Prompt): Promise<number[]> {
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      this.listeners.set(id, (m) => {
        this.listeners.delete(id);
        if (m.type === 'encoded') resolve(m.tokens);
        else if (m.type === 'error') reject(new GenerationError(m.message, m.name, m.detail));
      });
      this.send({ type: 'encode', id, prompt });
    });
  }

  /**
   * Generates for several prompts as one job (batched in each run() where the model allows; row i samples with
   * seed + i). Aborting marks unfinished rows 'aborted' and returns what they have.
   */
  async generateBatch(
    prompts: readonly Prompt[],
    params: GenerationParams,
    signal?: AbortSignal,
    options: RequestOptions = {},
  ): Promise<BatchResult[]> {
    const id = this.nextId++;
    const onAbort = (): void => {
      if (!this.closed) this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<BatchResult[]>((resolve, reject) => {
        this.listeners.set(id, (m) => {
          if (m.type === 'batch-done') resolve(m.results);
          else if (m.type === 'error') reject(new GenerationError(m.message, m.name, m.detail));
        });
        this.send({ type: 'generate-batch', id, prompts, params, priority: options.priority ?? 'user' });
        if (signal?.aborted) onAbort();
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.listeners.delete(id);
    }
  }

  /** Streams chunks; the iterator's return value says why generation ended. Throws GenerationError on failure. */
  async *generate(
    prompt: Prompt,
    params: GenerationParams,
    signal?: AbortSignal,
    options: RequestOptions = {},
  ): AsyncGenerator<GenerationChunk, GenerationResult> {
    const id = this.nextId++;
    const inbox: FromWorker[] = [];
    let wake: (() => void) | undefined;
    this.listeners.set(id, (m) => {
      inbox.push(m);
      wake?.();
    });
    const onAbort = (): void => {
      if (!this.closed) this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      this.send({ type: 'generate', id, prompt, params, priority: options.priority ?? 'user' });
      if (signal?.aborted) onAbort();
      for (;;) {
        const m = inbox.shift();
        if (!m) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        if (m.type === 'chunk') yield m.chunk;
        else if (m.type === 'done') {
          finished = true;
          return { reason: m.reason, promptTokens: m.promptTokens };
        } else if (m.type === 'error') {
          finished = true;
          throw new GenerationError(m.message, m.name, m.detail);
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // a consumer that stops iterating early cancels the request instead of leaving it running
      if (!finished) onAbort();
      this.listeners.delete(id);
    }
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
    // requests still queued when the worker closed get an answer instead of waiting forever
    for (const l of [...this.listeners.values()])
      l({ type: 'error', id: -1, message: 'the model was disposed', name: WORKER_DISPOSED });
  }
}

/**
 * A load failure thrown in the worker arrives as a plain Error that kept its name and detail (structured clone);
 * a runtime fault becomes a GenerationError again, so its owner sees `recovery` (a fatal GPU error while loading).
 */
function asGenerationError(error: unknown): unknown {
  if (!(error instanceof Error) || !faultKindOfName(error.name)) return error;
  const detail = (error as { detail?: unknown }).detail;
  return new GenerationError(error.message, error.name, typeof detail === 'string' ? detail : undefined);
}

/**
 * The worker's TypeScript source beside this module, for runs from sources (tests, `node --import tsx`). A bundle
 * has no import.meta (esbuild empties it in CommonJS) and is given its bundled worker's URL instead; a bundle
 * opened without one would otherwise fail with "Invalid URL", which names nothing a user could fix.
 */
function sourceWorkerUrl(): URL {
  const here = import.meta.url as string | undefined;
  if (here === undefined) {
    throw new GenerationError(
      'the generation worker script (llm-worker.mjs) was not found beside the program: reinstall the extension or rebuild with npm run build',
      WORKER_LOST,
    );
  }
  return new URL('./worker/generation-worker.ts', here);
}
