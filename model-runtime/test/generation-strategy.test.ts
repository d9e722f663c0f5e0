// How the worker's model is loaded, as far as a CPU machine shows it: where CUDA is found but the model still ends up
// on the CPU, the result says so (`cudaFailed`), so its owner can warn the user; a machine without CUDA is not a
// failure and only gets its note.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CUDA_LIBRARIES, type CudaEnvironment } from '../src/execution-provider.ts';
import { loadGeneration } from '../src/worker/generation-strategy.ts';
import { tinyModels, type TinyModels } from './tiny-models.ts';

const BIN = '/ort/bin';
/** Every file the CUDA provider needs is "found" (the session itself is still created by onnxruntime). */
const CUDA_FOUND: CudaEnvironment = {
  binaryDir: BIN,
  libraryDirs: ['/cuda/lib'],
  exists: (p) =>
    [
      join(BIN, 'libonnxruntime_providers_shared.so'),
      join(BIN, 'libonnxruntime_providers_cuda.so'),
      ...CUDA_LIBRARIES.map((l) => `/cuda/lib/${l}`),
    ].includes(p),
};
const NO_CUDA: CudaEnvironment = { binaryDir: BIN, libraryDirs: [], exists: () => false };

let models: TinyModels;
before(() => (models = tinyModels()));
after(() => models.cleanup());

test('CUDA found but the model runs on the CPU: cudaFailed, with the note saying why', async () => {
  // onnxruntime-node on this machine has no CUDA provider, so the CUDA session cannot start whatever the files say
  const loaded = await loadGeneration(models.build('genai', 'fp32'), { threads: 1 }, 'auto', undefined, CUDA_FOUND);
  if (!loaded.ok) assert.fail(loaded.problem.message);
  try {
    if (loaded.generation.provider === 'cuda') return; // a machine where CUDA really loads: nothing fell back
    assert.equal(loaded.generation.cudaFailed, true);
    assert.match(loaded.generation.notes.join('; '), /CPU/);
  } finally {
    await loaded.generation.dispose();
  }
});

test('no CUDA on the machine: the CPU is expected, not a failure', async () => {
  const loaded = await loadGeneration(models.build('genai', 'fp32'), { threads: 1 }, 'auto', undefined, NO_CUDA);
  if (!loaded.ok) assert.fail(loaded.problem.message);
  try {
    assert.equal(loaded.generation.cudaFailed, undefined);
    assert.equal(loaded.generation.strategy, 'steps');
  } finally {
    await loaded.generation.dispose();
  }
});

test('executionProvider "cpu" is never a CUDA failure, even where CUDA is found', async () => {
  const settings = { executionProvider: 'cpu' as const, threads: 1 };
  const loaded = await loadGeneration(models.build('genai', 'fp32'), settings, 'auto', undefined, CUDA_FOUND);
  if (!loaded.ok) assert.fail(loaded.problem.message);
  try {
    assert.deepEqual([loaded.generation.provider, loaded.generation.cudaFailed], ['cpu', undefined]);
  } finally {
    await loaded.generation.dispose();
  }
});
