// CUDA that cannot load falls back to CPU with a message naming what is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CUDA_LIBRARIES, diagnoseCuda, openSession, type CudaEnvironment } from '../src/execution-provider.ts';
import { tinyModels, type TinyModels } from './tiny-models.ts';

const BIN = '/ort/bin';
function fakeEnv(present: readonly string[]): CudaEnvironment {
  return { binaryDir: BIN, libraryDirs: ['/cuda/lib'], exists: (p) => present.includes(p) };
}
const PROVIDERS = [join(BIN, 'libonnxruntime_providers_shared.so'), join(BIN, 'libonnxruntime_providers_cuda.so')];

test('without the provider files the message says the CUDA provider is not installed and where to get it', () => {
  const m = diagnoseCuda(fakeEnv([])) ?? assert.fail();
  assert.match(
    m,
    /^the CUDA execution provider is not installed: libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so missing in \/ort\/bin/,
  );
  assert.match(m, /com\.github\.asus4\.onnxruntime\.linux-x64-gpu@0\.4\.9/);
});

test('with the providers but no CUDA libraries the message names each missing library', () => {
  const m = diagnoseCuda(fakeEnv([...PROVIDERS, '/cuda/lib/libcudart.so.13'])) ?? assert.fail();
  assert.equal(
    m,
    `CUDA 13 libraries not found: ${CUDA_LIBRARIES.filter((l) => l !== 'libcudart.so.13').join(', ')}; install the CUDA 13 toolkit or add its lib folder to LD_LIBRARY_PATH`,
  );
});

test('with everything present there is nothing to report', () => {
  assert.equal(diagnoseCuda(fakeEnv([...PROVIDERS, ...CUDA_LIBRARIES.map((l) => `/cuda/lib/${l}`)])), undefined);
});

let models: TinyModels;
before(() => (models = tinyModels()));
after(() => models.cleanup());

test('asking for CUDA where it cannot load gives a CPU session and the reason', async () => {
  const dir = models.build('genai', 'fp32');
  const opened = await openSession(join(dir, 'model.onnx'), { executionProvider: 'cuda' }, fakeEnv([]));
  try {
    assert.equal(opened.provider, 'cpu');
    assert.match(
      opened.fallbackMessage ?? '',
      /^CUDA unavailable, running on CPU: the CUDA execution provider is not installed/,
    );
  } finally {
    await opened.session.release();
  }
});

test('asking for CUDA with the files present but no GPU still falls back, naming the provider error', async () => {
  const dir = models.build('genai', 'fp32');
  const env = fakeEnv([...PROVIDERS, ...CUDA_LIBRARIES.map((l) => `/cuda/lib/${l}`)]);
  const opened = await openSession(join(dir, 'model.onnx'), { executionProvider: 'cuda' }, env);
  try {
    assert.equal(opened.provider, 'cpu');
    assert.match(
      opened.fallbackMessage ?? '',
      /^CUDA unavailable, running on CPU: the CUDA provider failed to start \(.+\)/,
    );
  } finally {
    await opened.session.release();
  }
});

test('cpu never tries CUDA', async () => {
  const opened = await openSession(
    join(models.build('genai', 'fp32'), 'model.onnx'),
    { executionProvider: 'cpu' },
    fakeEnv([]),
  );
  assert.equal(opened.provider, 'cpu');
  assert.equal(opened.fallbackMessage, undefined);
  await opened.session.release();
});
