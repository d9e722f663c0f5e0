// Entry of the analysis worker thread (bundled as dist/analysis-worker.js): runs the rule engine on texts it is
// sent, so a long note never blocks the language server's message loop.
import { parentPort } from 'node:worker_threads';
import { analyzeNote } from '@cancerllm/engine';
import type { WorkerReply, WorkerRequest } from './worker-analyzer.ts';

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = { id: request.id, result: analyzeNote(request.text) };
    } catch (error) {
      // The engine reports problems as data; reaching here is a bug. Name it without note text.
      reply = { id: request.id, error: error instanceof Error ? error.name : 'unknown error' };
    }
    port.postMessage(reply);
  });
}
