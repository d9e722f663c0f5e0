// Owns the one model the server uses (a local ONNX folder or a remote server, per settings): opens it on first
// need, reopens it when its settings change or when a fault left it unusable (a GPU error, a dead worker thread),
// and says why none is usable in words a user can act on.
import { GenerationError } from '@cancerllm/model-runtime';
import { REMOTE_API_KEY_ENV } from '@cancerllm/protocol';
import type { NoteSettings } from '../settings.ts';
import { LocalModel, type LocalModelResult } from './local-model.ts';
import { RemoteModel } from './remote-model.ts';
import type { TextModel } from './text-model.ts';

export type ModelState =
  | { state: 'ready'; model: TextModel }
  | { state: 'none' | 'failed'; message: string; setting: string };

export type LocalOpener = (path: string) => Promise<LocalModelResult>;

interface Entry {
  key: string;
  model: Promise<ModelState>;
}

export class ModelHost {
  private current: Entry | undefined;
  /** From the environment: the client starts the server with the key from VS Code's secret storage. */
  private apiKey = process.env[REMOTE_API_KEY_ENV] ?? '';

  constructor(private readonly openLocal: LocalOpener = (path) => LocalModel.open(path)) {}

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
      // a model that became unusable is dropped: the next acquire() opens it again
      const model = this.open(settings, () => {
        if (this.current === entry) this.current = undefined;
      });
      const entry: Entry = { key, model };
      this.current = entry;
      void entry.model.then(() => (this.settled = true));
      if (previous) void previous.model.then((state) => (state.state === 'ready' ? state.model.dispose() : undefined));
    }
    return this.current.model;
  }

  private async open(settings: NoteSettings, onUnusable: () => void): Promise<ModelState> {
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
    try {
      const opened = await this.openLocal(settings.model.path);
      if (opened.ok) return { state: 'ready', model: reopenAfterFault(opened.model, onUnusable) };
      return {
        state: 'failed',
        setting: 'cancerllm.model.path',
        message: `The model could not be loaded: ${opened.message}`,
      };
    } catch (error) {
      return {
        state: 'failed',
        setting: 'cancerllm.model.path',
        message: `The model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  async dispose(): Promise<void> {
    const state = await this.current?.model;
    this.current = undefined;
    if (state?.state === 'ready') await state.model.dispose();
  }
}

function keyOf(settings: NoteSettings, apiKey: string): string {
  const { backend, path } = settings.model;
  return backend === 'remote' ? JSON.stringify(['remote', settings.remote, apiKey]) : JSON.stringify(['onnx', path]);
}

/**
 * A local model that a fault left unusable (GenerationError.reopen: a device error that corrupted the CUDA context,
 * or the worker thread died) is disposed and `onUnusable` drops it from the host, so the next request loads the
 * model again instead of failing the same way until the settings change. Out of memory is not such a fault: the
 * session stays loaded.
 */
function reopenAfterFault(model: TextModel, onUnusable: () => void): TextModel {
  let fault: GenerationError | undefined;
  return {
    name: model.name,
    async *complete(prompt, options, signal) {
      if (fault) throw fault;
      try {
        yield* model.complete(prompt, options, signal);
      } catch (error) {
        if (error instanceof GenerationError && error.reopen && !fault) {
          fault = error;
          onUnusable();
          void model.dispose();
        }
        throw error;
      }
    },
    dispose: () => model.dispose(),
  };
}
