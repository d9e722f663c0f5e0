// The generation worker: owns one loaded model and runs requests one at a time (GenerationService), so
// session.run() never blocks the caller's event loop. A cancel message is handled between runs (run() yields to
// the event loop).
import { parentPort, workerData } from 'node:worker_threads';
import { classifyRuntimeError, FAULT_ERROR_NAMES } from '../runtime-errors.ts';
import { loadGeneration, type LoadGenerationResult } from './generation-strategy.ts';
import { GenerationService } from './generation-service.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('generation-worker.ts must run in a worker_thread');
const post = (m: FromWorker): void => port.postMessage(m);
const data = workerData as WorkerData;

let loaded: LoadGenerationResult;
try {
  loaded = await loadGeneration(data.modelPath, data.settings, data.strategy, data.chunkSize);
} catch (error) {
  // session creation failed (e.g. not enough memory for the weights): the caller's open() rejects with this message,
  // and the fault's name and detail, so that a fatal GPU error while loading is known as one there too
  const fault = classifyRuntimeError(error, {
    during: 'loading',
    ...(data.settings.executionProvider === 'cpu' ? { provider: 'cpu' as const } : {}),
  });
  if (fault.kind === 'other') throw error;
  throw Object.assign(new Error(fault.message), { name: FAULT_ERROR_NAMES[fault.kind], detail: fault.detail });
}
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
      ...(generation.cudaFailed ? { cudaFailed: true } : {}),
      contextLength: f.contextLength,
      vocabSize: f.vocabSize,
      weights: f.weights,
      weightBytes: f.weightBytes,
    },
  });
  const service = new GenerationService(generation, post);
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'close') {
      service.handle(m);
      return;
    }
    // the port closes even when releasing the session fails (e.g. after a device error); the failure goes to stderr
    // (the owner's log: the language client shows the server's stderr), never as an unhandled rejection
    void service.shutdown((message) => process.stderr.write(`${message}\n`)).then(() => port.close());
  });
}
