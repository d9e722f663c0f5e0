// Faults in the middle of generation: ONNX Runtime's own allocation failure (a real one, on CPU, from a model whose
// graph asks for 1 PiB once the sequence is long enough) and a CUDA device error (injected at the session boundary,
// since CPU-only machines cannot produce one). Each ends the request with a message the user can act on; after
// out-of-memory or a device error the session survives the same worker keeps serving, after a fatal (sticky) device
// error the session is never run again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Decoder } from '../src/decoder.ts';
import { generate } from '../src/generator.ts';
import { generateBatch } from '../src/batch-generator.ts';
import { GenerationError, LlmWorker } from '../src/llm-worker.ts';
import { GenerationService } from '../src/worker/generation-service.ts';
import type { LoadedGeneration } from '../src/worker/generation-strategy.ts';
import type { FromWorker } from '../src/worker/messages.ts';
import type { GenerationChunk, GenerationParams } from '../src/generator.ts';
import { injectAllocationFault } from './fault-models.ts';
import { tinyModels, type TinyModels } from './tiny-models.ts';

const PROMPT = { tokens: [5, 6, 7, 8, 9] };
/** The run whose sequence reaches 9 tokens fails: prefill (5), then steps at 6, 7 and 8 stream three tokens. */
const FAULT_AT = 9;
const LONG: GenerationParams = { maxNewTokens: 20, stopTokenIds: [] };

async function drain(it: AsyncGenerator<GenerationChunk, unknown>, chunks: GenerationChunk[] = []): Promise<void> {
  for (let r = await it.next(); !r.done; r = await it.next()) chunks.push(r.value);
}

describe('out of memory inside ONNX Runtime (a real allocation failure on CPU)', () => {
  let models: TinyModels;
  let dir: string;
  before(() => {
    models = tinyModels();
    dir = models.build('genai', 'fp32');
    injectAllocationFault(dir, FAULT_AT);
  });
  after(() => models.cleanup());

  test('the stream stops with an out-of-memory message after the tokens that fit, and the worker keeps serving', async () => {
    const opened = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1 });
    if (!opened.ok) assert.fail(opened.problem.message);
    const worker = opened.worker;
    try {
      const chunks: GenerationChunk[] = [];
      await assert.rejects(drain(worker.generate(PROMPT, LONG), chunks), (e: unknown) => {
        assert.ok(e instanceof GenerationError);
        assert.equal(e.name, 'OutOfMemoryError');
        assert.equal(e.fault, 'out-of-memory');
        assert.equal(e.recovery, 'none');
        assert.match(
          e.message,
          /^The computer ran out of memory while generating \(ONNX Runtime could not allocate 1\.00 PiB\)\. To fix it: lower the maximum new tokens/,
        );
        return true;
      });
      assert.equal(chunks.length, FAULT_AT - PROMPT.tokens.length - 1);
      // not a sticky fault: a request that stays below the size that failed runs to its end on the same session
      const result = await (async () => {
        const it = worker.generate({ tokens: [5, 6, 7] }, { maxNewTokens: 3, stopTokenIds: [] });
        for (let r = await it.next(); ; r = await it.next()) if (r.done) return r.value;
      })();
      assert.equal(result.reason, 'max-new-tokens');
    } finally {
      await worker.dispose();
    }
  });

  test('the decode loop (the CUDA strategy, here on CPU) reports the same fault from inside its Loop node', async () => {
    const opened = await LlmWorker.open(dir, { executionProvider: 'cpu', threads: 1, strategy: 'loop', chunkSize: 2 });
    if (!opened.ok) assert.fail(opened.problem.message);
    try {
      assert.equal(opened.worker.info.strategy, 'loop');
      await assert.rejects(drain(opened.worker.generate(PROMPT, LONG)), (e: unknown) => {
        assert.ok(e instanceof GenerationError);
        assert.equal(e.fault, 'out-of-memory');
        return true;
      });
    } finally {
      await opened.worker.dispose();
    }
  });
});

/**
 * Stands in for an onnxruntime session on a GPU: the real CPU session, except that run number `failAt` throws CUDA's
 * error (and every later run too when `sticky`, as CUDA does after a sticky error).
 */
class FailingSession {
  runs = 0;
  released = false;
  constructor(
    private readonly real: { run(feeds: unknown): Promise<unknown>; release(): Promise<void> },
    private readonly failAt: number,
    private readonly message: string,
    private readonly sticky: boolean,
  ) {}
  async run(feeds: unknown): Promise<unknown> {
    const run = ++this.runs;
    if (run === this.failAt || (this.sticky && run > this.failAt)) throw new Error(this.message);
    return this.real.run(feeds);
  }
  async release(): Promise<void> {
    this.released = true;
    await this.real.release();
  }
}

// What ONNX Runtime's CUDA provider throws after an illegal memory access (cuda_call.cc's format, as quoted in
// pykeio/ort#321). A real device fault needs the GPU machine; here it is injected where the session would throw it.
const ILLEGAL_ADDRESS =
  'CUDA failure 700: an illegal memory access was encountered ; GPU=0 ; hostname=gpu01 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/gpu_data_transfer.cc ; line=63 ; expr=cudaMemcpyAsync(dst_data, src_data, bytes, cudaMemcpyDeviceToHost, static_cast<cudaStream_t>(stream.GetHandle())); ';
// A cuBLAS status that leaves the CUDA context usable (cuda_call.cc's format, status 15 of cublas_api.h).
const NOT_SUPPORTED =
  "Non-zero status code returned while running MatMul node. Name:'/model/layers.0/mlp/up_proj/MatMul' Status Message: CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED ; GPU=0 ; hostname=gpu01 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/math/matmul.cc ; line=317 ; expr=cublasGemmStridedBatchedHelper(...); ";

describe('a CUDA device error mid-generation (injected at the session boundary)', () => {
  let models: TinyModels;
  before(() => (models = tinyModels()));
  after(() => models.cleanup());

  /** A GenerationService over a decoder whose session fails at run `failAt`, with what it posts. */
  async function serviceFailingAt(failAt: number, message: string, sticky: boolean) {
    const loaded = await Decoder.load(models.build('genai', 'fp32'), { executionProvider: 'cpu', threads: 1 });
    if (!loaded.ok) assert.fail(loaded.problem.message);
    const decoder = loaded.decoder;
    const session = new FailingSession(
      (decoder as unknown as { session: FailingSession['real'] }).session,
      failAt,
      message,
      sticky,
    );
    (decoder as unknown as { session: FailingSession }).session = session;
    const generation: LoadedGeneration = {
      folder: decoder.folder,
      provider: 'cuda',
      strategy: 'steps',
      notes: [],
      stream: (tokens, params, signal) => generate(decoder, tokens, params, signal),
      batch: (prompts, params, signal) => generateBatch(decoder, prompts, params, signal),
      dispose: () => decoder.dispose(),
    };
    const posted: FromWorker[] = [];
    const waiters: Array<() => void> = [];
    const service = new GenerationService(generation, (m) => {
      posted.push(m);
      for (const w of waiters.splice(0)) w();
    });
    const endOf = async (id: number): Promise<FromWorker> => {
      for (;;) {
        const end = posted.find((m) => 'id' in m && m.id === id && m.type !== 'chunk');
        if (end) return end;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    return { service, session, posted, endOf };
  }

  test('a fatal (sticky) error ends the request, the session never runs again, and is released on close', async () => {
    const { service, session, posted, endOf } = await serviceFailingAt(3, ILLEGAL_ADDRESS, true);
    service.handle({ type: 'generate', id: 1, prompt: PROMPT, params: LONG, priority: 'user' });
    const first = await endOf(1);
    // run 1 is the prompt, run 2 the first step (its token streamed), run 3 fails
    assert.equal(posted.filter((m) => m.type === 'chunk').length, 1);
    const detail = 'CUDA failure 700: an illegal memory access was encountered';
    assert.deepEqual(first, {
      type: 'error',
      id: 1,
      name: 'FatalDeviceError',
      message:
        `The GPU reported a fatal error while generating (${detail}). No CUDA work can run in this process any ` +
        'more: start the program again to use the model; if the error repeats, check the GPU and its driver (nvidia-smi).',
      detail,
    });
    if (first.type !== 'error') return;
    const error = new GenerationError(first.message, first.name, first.detail);
    assert.deepEqual([error.fault, error.recovery, error.detail], ['fatal-device-error', 'restart-process', detail]);

    // the CUDA context is unusable after this error: later requests get the same answer without a run
    service.handle({ type: 'generate', id: 2, prompt: PROMPT, params: LONG, priority: 'user' });
    service.handle({ type: 'generate-batch', id: 3, prompts: [PROMPT], params: LONG, priority: 'background' });
    assert.deepEqual(
      [await endOf(2), await endOf(3)],
      [
        { ...first, id: 2 },
        { ...first, id: 3 },
      ],
    );
    assert.equal(session.runs, 3);

    await service.close();
    assert.equal(session.released, true);
  });

  test('a device error the CUDA context survives ends the request; the next one runs on the same session', async () => {
    const { service, session, endOf } = await serviceFailingAt(3, NOT_SUPPORTED, false);
    try {
      service.handle({ type: 'generate', id: 1, prompt: PROMPT, params: LONG, priority: 'user' });
      const first = await endOf(1);
      assert.equal(first.type === 'error' && first.name, 'DeviceError');
      if (first.type !== 'error') return;
      assert.equal(new GenerationError(first.message, first.name, first.detail).recovery, 'none');
      assert.match(
        first.message,
        /^The GPU reported an error while generating \(CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED\)\. The model stays loaded/,
      );

      service.handle({
        type: 'generate',
        id: 2,
        prompt: PROMPT,
        params: { maxNewTokens: 3, stopTokenIds: [] },
        priority: 'user',
      });
      assert.deepEqual(await endOf(2), {
        type: 'done',
        id: 2,
        reason: 'max-new-tokens',
        promptTokens: PROMPT.tokens.length,
      });
      assert.ok(session.runs > 3, 'the session ran again');
    } finally {
      await service.close();
    }
  });

  test('shutting down logs a session that cannot be released instead of rejecting', async () => {
    const { service, session } = await serviceFailingAt(1, ILLEGAL_ADDRESS, true);
    const release = session.release.bind(session);
    session.release = async () => {
      await release();
      throw new Error(ILLEGAL_ADDRESS);
    };
    const logged: string[] = [];
    await service.shutdown((message) => logged.push(message));
    assert.equal(session.released, true);
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /^the generation worker could not release the model: CUDA failure 700/);
  });
});

describe('a fatal GPU error while the worker loads the model', () => {
  test("open() rejects with a GenerationError that keeps the fault's name, detail and recovery", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cancerllm-load-fault-'));
    // stands in for generation-worker.ts when session creation hit a sticky CUDA error: it throws the classified
    // fault as that file does (an Error with the fault's name and detail)
    const script = join(dir, 'failing-worker.mjs');
    writeFileSync(
      script,
      "throw Object.assign(new Error('The GPU reported a fatal error while loading the model (CUDA failure 700: an illegal memory access was encountered).'), { name: 'FatalDeviceError', detail: 'CUDA failure 700: an illegal memory access was encountered' });\n",
    );
    try {
      await assert.rejects(LlmWorker.open(dir, { workerUrl: pathToFileURL(script) }), (e: unknown) => {
        assert.ok(e instanceof GenerationError);
        assert.deepEqual(
          [e.name, e.fault, e.recovery, e.detail],
          [
            'FatalDeviceError',
            'fatal-device-error',
            'restart-process',
            'CUDA failure 700: an illegal memory access was encountered',
          ],
        );
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
