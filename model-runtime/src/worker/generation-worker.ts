// The generation worker: owns one loaded model and runs requests one at a time, so session.run() never blocks the
// caller's event loop. A cancel message is handled between runs (run() yields to the event loop).
import { parentPort, workerData } from 'node:worker_threads';
import { loadGeneration } from './generation-strategy.ts';
import type { FromWorker, Priority, Prompt, ToWorker, WorkerData } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('generation-worker.ts must run in a worker_thread');
const post = (m: FromWorker): void => port.postMessage(m);
const data = workerData as WorkerData;

const loaded = await loadGeneration(data.modelPath, data.settings, data.strategy, data.chunkSize);
if (!loaded.ok) {
  post({ type: 'load-failed', problem: loaded.problem });
  port.close();
} else {
  const generation = loaded.generation;
  const f = generation.folder;
  post({
    type: 'ready',
    info: {
      path: f.path,
      layout: f.layout,
      provider: generation.provider,
      strategy: generation.strategy,
      ...(generation.notes.length > 0 ? { fallbackMessage: generation.notes.join('; ') } : {}),
      contextLength: f.contextLength,
      vocabSize: f.vocabSize,
      weights: f.weights,
      weightBytes: f.weightBytes,
    },
  });
  const controllers = new Map<number, AbortController>();
  // one request runs at a time; the next is the oldest user request, else the oldest background one
  const pending: { priority: Priority; run: () => Promise<void> }[] = [];
  let running: Promise<void> | undefined;
  const pump = (): void => {
    if (running) return;
    const i = pending.findIndex((j) => j.priority === 'user');
    const [job] = pending.splice(i >= 0 ? i : 0, 1);
    if (!job) return;
    running = job.run().finally(() => {
      running = undefined;
      pump();
    });
  };
  const enqueue = (id: number, priority: Priority, run: () => Promise<void>): void => {
    controllers.set(id, new AbortController());
    pending.push({ priority, run });
    pump();
  };

  const tokensOf = (prompt: Prompt): number[] => {
    if ('tokens' in prompt) return [...prompt.tokens];
    if ('messages' in prompt) return f.tokenizer.encodeChat(prompt.messages);
    return f.tokenizer.encode(prompt.text);
  };

  const fail = (id: number, error: unknown): void =>
    post({
      type: 'error',
      id,
      message: error instanceof Error ? error.message : String(error),
      name: error instanceof Error ? error.name : 'Error',
    });

  const runGenerate = async (m: Extract<ToWorker, { type: 'generate' }>): Promise<void> => {
    const controller = controllers.get(m.id) ?? new AbortController();
    try {
      const tokens = tokensOf(m.prompt);
      const it = generation.stream(tokens, m.params, controller.signal);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          post({ type: 'done', id: m.id, reason: r.value, promptTokens: tokens.length });
          return;
        }
        post({ type: 'chunk', id: m.id, chunk: r.value });
      }
    } catch (error) {
      fail(m.id, error);
    } finally {
      controllers.delete(m.id);
    }
  };

  const runBatch = async (m: Extract<ToWorker, { type: 'generate-batch' }>): Promise<void> => {
    const controller = controllers.get(m.id) ?? new AbortController();
    try {
      const results = await generation.batch(m.prompts.map(tokensOf), m.params, controller.signal);
      post({ type: 'batch-done', id: m.id, results });
    } catch (error) {
      fail(m.id, error);
    } finally {
      controllers.delete(m.id);
    }
  };

  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'generate-batch':
        enqueue(m.id, m.priority, () => runBatch(m));
        return;
      case 'generate':
        enqueue(m.id, m.priority, () => runGenerate(m));
        return;
      case 'encode':
        try {
          post({ type: 'encoded', id: m.id, tokens: tokensOf(m.prompt) });
        } catch (error) {
          fail(m.id, error);
        }
        return;
      case 'cancel':
        controllers.get(m.id)?.abort();
        return;
      case 'close':
        for (const c of controllers.values()) c.abort();
        pending.length = 0;
        void (running ?? Promise.resolve()).then(async () => {
          await generation.dispose();
          port.close();
        });
        return;
    }
  });
}
