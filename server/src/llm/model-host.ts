// Owns the one model the server uses (a local ONNX folder or a remote server, per settings): opens it on first
// need, opens it again when its settings change or when its worker thread died, and says why none is usable in
// words a user can act on. A fatal GPU error ends local models for this process: CUDA's context belongs to the
// process, so only a restarted server can use the GPU again.
import { GenerationError } from '@cancerllm/model-runtime';
import { REMOTE_API_KEY_ENV } from '@cancerllm/protocol';
import type { NoteSettings } from '../settings.ts';
import { LocalModel, type LocalModelResult } from './local-model.ts';
import { RemoteModel } from './remote-model.ts';
import type { TextModel } from './text-model.ts';

export type ModelState =
  | { state: 'ready'; model: TextModel }
  | {
      state: 'none' | 'failed';
      message: string;
      /** The setting that fixes it. */
      setting?: string;
      /** Only a new server process fixes it (after a fatal GPU error): the user is offered a restart. */
      restartServer?: boolean;
    };

export type LocalOpener = (path: string) => Promise<LocalModelResult>;

/** What the host tells beyond its answers. Never given note text. */
export interface ModelHostPort {
  log(message: string): void;
  /** A warning for the user; the host sends each distinct message once. */
  warn(message: string): void;
}

const QUIET: ModelHostPort = { log: () => {}, warn: () => {} };

interface Entry {
  key: string;
  model: Promise<ModelState>;
}

/** The answer for every local model after a fatal GPU error, until the server restarts. */
export function fatalGpuState(detail: string): ModelState {
  return {
    state: 'failed',
    restartServer: true,
    message:
      `The GPU reported a fatal error (${detail}). The rule engine keeps annotating. Restart the CancerLLM language ` +
      'server to use the model again; if it repeats, check the GPU and driver with nvidia-smi.',
  };
}

export class ModelHost {
  private current: Entry | undefined;
  /** From the environment: the client starts the server with the key from VS Code's secret storage. */
  private apiKey = process.env[REMOTE_API_KEY_ENV] ?? '';
  /** Models being disposed; a local model opens only after they are gone (GPU memory is freed first). */
  private retiring: Promise<void> = Promise.resolve();
  /** Set by a fatal GPU error: no local model opens again in this process. */
  private gpuFault: ModelState | undefined;
  private readonly warned = new Set<string>();

  constructor(
    private readonly openLocal: LocalOpener = (path) => LocalModel.open(path),
    private readonly port: ModelHostPort = QUIET,
  ) {}

  private userWork = 0;
  private readonly userWorkListeners = new Set<() => void>();

  /** True while a user-triggered request (a draft) runs: background extraction waits. */
  get userBusy(): boolean {
    return this.userWork > 0;
  }

  /** Called when user-triggered work starts, so background work can step aside (one model, one queue). */
  onUserWork(listener: () => void): void {
    this.userWorkListeners.add(listener);
  }

  async asUserWork<T>(work: () => Promise<T>): Promise<T> {
    this.userWork++;
    for (const listener of this.userWorkListeners) listener();
    try {
      return await work();
    } finally {
      this.userWork--;
    }
  }

  setApiKey(apiKey: string): void {
    this.apiKey = apiKey;
  }

  /** True while a local model is being opened for these settings (the caller can say "loading"). */
  isLoading(settings: NoteSettings): boolean {
    return this.current?.key === keyOf(settings, this.apiKey) && !this.settled;
  }

  private settled = false;

  /** The model for these settings, opening it (once) when needed; a failure stays until the settings change. */
  async acquire(settings: NoteSettings): Promise<ModelState> {
    const key = keyOf(settings, this.apiKey);
    if (this.current?.key !== key) {
      const previous = this.current;
      this.settled = false;
      // before open() starts, so that it waits for the previous model to be gone
      if (previous) this.retire(previous.model.then((state) => (state.state === 'ready' ? state.model : undefined)));
      // a model left unusable by a fault is dropped: the next acquire() opens it again (or says why it cannot)
      const model = this.open(settings, (unusable, error) => this.faulted(entry, unusable, error));
      const entry: Entry = { key, model };
      this.current = entry;
      void entry.model.then(() => (this.settled = true));
    }
    return this.current.model;
  }

  private async open(
    settings: NoteSettings,
    onFault: (model: TextModel, error: GenerationError) => void,
  ): Promise<ModelState> {
    if (settings.model.backend === 'remote') {
      if (!settings.remote.url) {
        return {
          state: 'none',
          setting: 'cancerllm.remote.url',
          message: 'Set cancerllm.remote.url to an OpenAI-compatible server (e.g. http://gpu01:8000/v1).',
        };
      }
      const { url, model, timeoutMs, retries } = settings.remote;
      return {
        state: 'ready',
        model: new RemoteModel({ url, model, timeoutMs, retries, ...(this.apiKey ? { apiKey: this.apiKey } : {}) }),
      };
    }
    if (!settings.model.path) {
      return {
        state: 'none',
        setting: 'cancerllm.model.path',
        message:
          'Set cancerllm.model.path to a local ONNX model folder, or cancerllm.model.backend to "remote" with cancerllm.remote.url.',
      };
    }
    // reloading here would fail, or with executionProvider 'auto' silently land on the CPU
    if (this.gpuFault) return this.gpuFault;
    await this.retiring;
    try {
      const opened = await this.openLocal(settings.model.path);
      if (!opened.ok) {
        return {
          state: 'failed',
          setting: 'cancerllm.model.path',
          message: `The model could not be loaded: ${opened.message}`,
        };
      }
      this.announceFallback(opened.model);
      const watched = watchFaults(opened.model, (error) => onFault(opened.model, error));
      return { state: 'ready', model: watched };
    } catch (error) {
      if (error instanceof GenerationError && error.recovery === 'restart-process') {
        this.gpuFault ??= fatalGpuState(error.detail ?? error.message);
        return this.gpuFault;
      }
      return {
        state: 'failed',
        setting: 'cancerllm.model.path',
        message: `The model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /** A fault left the model unusable: drop it and dispose it; after a fatal GPU error, open no local model again. */
  private faulted(entry: Entry, model: TextModel, error: GenerationError): void {
    if (error.recovery === 'restart-process') this.gpuFault ??= fatalGpuState(error.detail ?? error.message);
    if (this.current === entry) this.current = undefined;
    this.retire(model);
  }

  /** Disposes a model no longer used; open() waits for it, so two local models never hold memory at once. */
  private retire(model: TextModel | Promise<TextModel | undefined>): void {
    const disposed = Promise.resolve(model)
      .then((m) => m?.dispose())
      .catch((error: unknown) =>
        this.port.log(
          `CancerLLM: releasing the model failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    this.retiring = Promise.all([this.retiring, disposed]).then(() => undefined);
  }

  /** Why the model does not run as asked goes to the log; the user is told once when it is not what they expect. */
  private announceFallback(model: TextModel): void {
    const fallback = model.fallback;
    if (!fallback) return;
    this.port.log(`CancerLLM: ${model.name}: ${fallback.message}`);
    if (!fallback.unexpected || this.warned.has(fallback.message)) return;
    this.warned.add(fallback.message);
    this.port.warn(`CancerLLM: the model ${model.name} runs on the CPU, which is much slower: ${fallback.message}`);
  }

  async dispose(): Promise<void> {
    const state = await this.current?.model;
    this.current = undefined;
    if (state?.state === 'ready') this.retire(state.model);
    await this.retiring;
  }
}

function keyOf(settings: NoteSettings, apiKey: string): string {
  const { backend, path } = settings.model;
  return backend === 'remote' ? JSON.stringify(['remote', settings.remote, apiKey]) : JSON.stringify(['onnx', path]);
}

/**
 * A local model that a fault left unusable (GenerationError.recovery: its worker thread died, or a fatal GPU error)
 * is reported once through `onFault`; a caller still holding it gets the fault again without running it. Out of
 * memory and GPU errors the session survives are not such faults: the model stays loaded.
 */
function watchFaults(model: TextModel, onFault: (error: GenerationError) => void): TextModel {
  let fault: GenerationError | undefined;
  /** The error, after remembering it when it is the first fault that leaves the model unusable. */
  const noted = (error: unknown): unknown => {
    if (error instanceof GenerationError && error.recovery !== 'none' && !fault) {
      fault = error;
      onFault(error);
    }
    return error;
  };
  const batched = model.completeAll?.bind(model);
  return {
    name: model.name,
    ...(model.fallback ? { fallback: model.fallback } : {}),
    async *complete(prompt, options, signal) {
      if (fault) throw fault;
      try {
        yield* model.complete(prompt, options, signal);
      } catch (error) {
        throw noted(error);
      }
    },
    ...(batched
      ? {
          async completeAll(prompts, options, signal) {
            if (fault) throw fault;
            try {
              return await batched(prompts, options, signal);
            } catch (error) {
              throw noted(error);
            }
          },
        }
      : {}),
    dispose: () => model.dispose(),
  };
}
