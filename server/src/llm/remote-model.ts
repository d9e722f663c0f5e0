// A TextModel over an OpenAI-compatible HTTP API (vLLM, TGI, llama.cpp server, Ollama): chat prompts to
// /chat/completions, text prompts to /completions, both streamed as server-sent events. Connection errors,
// timeouts, 429 and 5xx are retried before the first token arrives. Messages never contain the prompt or the key.
import type { TaskPrompt } from './prompts.ts';
import { completeText, type CompletionOptions, type TextModel } from './text-model.ts';

/** Requests in flight at once for a batch job (a section's questions, a group of notes to draft). */
export const REMOTE_CONCURRENCY = 4;

export interface RemoteConfig {
  /** Base URL including the API prefix, e.g. http://gpu01:8000/v1. */
  url: string;
  model: string;
  /** Longest wait for the response to start and between two streamed pieces. */
  timeoutMs: number;
  retries: number;
  apiKey?: string;
}

export class RemoteError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export class RemoteModel implements TextModel {
  readonly name: string;

  constructor(
    private readonly config: RemoteConfig,
    /** Waits between retries; tests pass a short one. */
    private readonly backoffMs = (attempt: number) => 500 * 2 ** attempt,
  ) {
    this.name = config.model || new URL(config.url).host;
  }

  async *complete(prompt: TaskPrompt, options: CompletionOptions, signal: AbortSignal): AsyncIterable<string> {
    const chat = prompt.kind === 'chat';
    const endpoint = `${this.config.url}/${chat ? 'chat/completions' : 'completions'}`;
    const body = JSON.stringify({
      model: this.config.model,
      stream: true,
      max_tokens: options.maxNewTokens,
      temperature: 0,
      ...(options.stop?.length ? { stop: options.stop } : {}),
      ...(chat ? { messages: [{ role: 'user', content: prompt.user }] } : { prompt: prompt.text }),
    });
    for (let attempt = 0; ; attempt++) {
      let started = false;
      try {
        for await (const piece of this.stream(endpoint, body, chat, signal)) {
          started = true;
          yield piece;
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        const retryable = error instanceof RemoteError ? error.retryable : true;
        if (started || !retryable || attempt >= this.config.retries) throw asRemoteError(error, endpoint);
        await delay(this.backoffMs(attempt), signal);
        if (signal.aborted) return;
      }
    }
  }

  /**
   * The prompts as concurrent requests, at most REMOTE_CONCURRENCY at a time (servers such as vLLM and TGI batch
   * the requests in flight), answers in order. The first failure cancels the requests still running and is thrown.
   */
  async completeAll(prompts: readonly TaskPrompt[], options: CompletionOptions, signal: AbortSignal): Promise<string[]> {
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) cancel();
    const answers = prompts.map(() => '');
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < prompts.length && !controller.signal.aborted) {
        const i = next++;
        const prompt = prompts[i];
        if (prompt) answers[i] = await completeText(this, prompt, options, controller.signal);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(REMOTE_CONCURRENCY, prompts.length) }, lane));
      return answers;
    } catch (error) {
      cancel();
      throw error;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private async *stream(endpoint: string, body: string, chat: boolean, signal: AbortSignal): AsyncIterable<string> {
    const timeout = new IdleTimeout(this.config.timeoutMs);
    const combined = AbortSignal.any([signal, timeout.signal]);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {}),
        },
        body,
        signal: combined,
      }).catch((error: unknown) => {
        throw timeout.fired ? timeoutError(this.config.timeoutMs) : error;
      });
      if (!response.ok) {
        await response.body?.cancel();
        const retryable = response.status === 429 || response.status >= 500;
        const hint = response.status === 401 || response.status === 403 ? ' (run "CancerLLM: Set Remote API Key")' : '';
        throw new RemoteError(`the remote model server answered HTTP ${response.status}${hint}`, retryable);
      }
      if (!response.body) throw new RemoteError('the remote model server sent no body', true);
      timeout.reset();
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const bytes of response.body) {
        timeout.reset();
        buffer += decoder.decode(bytes as Uint8Array, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          const event = parseEventLine(line, chat);
          if (typeof event === 'object') return;
          if (event) yield event;
        }
      }
    } catch (error) {
      if (timeout.fired) throw timeoutError(this.config.timeoutMs);
      throw error;
    } finally {
      timeout.clear();
    }
  }

  async dispose(): Promise<void> {}
}

/** One SSE line: the text piece it carries, `{ done: true }` at `data: [DONE]`, undefined for anything else. */
export function parseEventLine(line: string, chat: boolean): string | { done: true } | undefined {
  if (!line.startsWith('data:')) return undefined;
  const data = line.slice(5).trim();
  if (data === '[DONE]') return { done: true };
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    throw new RemoteError('the remote model server sent an event that is not JSON', false);
  }
  const choice = (event as { choices?: Array<{ delta?: { content?: unknown }; text?: unknown }> }).choices?.[0];
  const piece = chat ? choice?.delta?.content : choice?.text;
  return typeof piece === 'string' && piece !== '' ? piece : undefined;
}

class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(private readonly ms: number) {
    this.reset();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

function timeoutError(ms: number): RemoteError {
  return new RemoteError(`the remote model server did not answer within ${ms} ms (cancerllm.remote.timeoutMs)`, true);
}

function asRemoteError(error: unknown, endpoint: string): RemoteError {
  if (error instanceof RemoteError) return error;
  const cause =
    error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
  return new RemoteError(`cannot reach the remote model server at ${new URL(endpoint).origin}: ${cause}`, true);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
