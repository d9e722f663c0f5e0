// Owns the one model the server uses (a local ONNX folder or a remote server, per settings): opens it on first
// need, reopens it when its settings change, and says why none is usable in words a user can act on.
import { REMOTE_API_KEY_ENV } from '@cancerllm/protocol';
import type { NoteSettings } from '../settings.ts';
import { LocalModel, type LocalModelResult } from './local-model.ts';
import { RemoteModel } from './remote-model.ts';
import type { TextModel } from './text-model.ts';

export type ModelState =
  | { state: 'ready'; model: TextModel }
  | { state: 'none' | 'failed'; message: string; setting: string };

export type LocalOpener = (path: string) => Promise<LocalModelResult>;

export class ModelHost {
  private current: { key: string; model: Promise<ModelState> } | undefined;
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
      this.current = { key, model: this.open(settings) };
      void this.current.model.then(() => (this.settled = true));
      if (previous) void previous.model.then((state) => (state.state === 'ready' ? state.model.dispose() : undefined));
    }
    return this.current.model;
  }

  private async open(settings: NoteSettings): Promise<ModelState> {
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
      if (opened.ok) return { state: 'ready', model: opened.model };
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
