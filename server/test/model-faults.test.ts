// Runtime faults in the middle of a draft, at the server's side of the model runtime: the note is never edited
// (an earlier draft included), the answer names the fault and what to do, out of memory and GPU errors the session
// survives keep the model loaded, a dead worker thread makes the host load the model again for the next request (after
// the old one is disposed), and a fatal GPU error ends local models until the server restarts. The runtime's errors
// are built as LlmWorker builds them (GenerationError with the fault's name and detail); the runtime's own tests
// produce them from ONNX Runtime.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GenerationError } from '@cancerllm/model-runtime';
import type { GenerationProgressParams } from '@cancerllm/protocol';
import { DEFAULT_SETTINGS } from '../src/settings.ts';
import { draftText, placeDraft, type TextEdit } from '../src/llm/drafts.ts';
import { DraftGenerator, type DraftPort } from '../src/llm/draft-generation.ts';
import { ModelHost } from '../src/llm/model-host.ts';
import type { TextModel } from '../src/llm/text-model.ts';

const URI = 'file:///fault.note';
const BASE =
  'HISTORY:\nLeft breast mass.\n\nFINAL DIAGNOSIS:\nInvasive ductal carcinoma, grade 2.\n\nPLAN:\nSurgery.\n';
/** A note that already holds a draft from an earlier run: a failed run must leave it as it is. */
const earlier = placeDraft(BASE, 'diagnosis', draftText('diagnosis', 'tiny', 'diagnosis@1', 'IDC, grade 2.'));
const NOTE = BASE.slice(0, earlier.start) + earlier.newText + BASE.slice(earlier.end);

const OOM = new GenerationError(
  'The GPU ran out of memory while generating (ONNX Runtime could not allocate 7.81 GiB). To fix it: lower the maximum new tokens or shorten the note, use an int4 model, close other programs that use the GPU (nvidia-smi lists them), or run the model on the CPU (executionProvider "cpu").',
  'OutOfMemoryError',
);
const FATAL_DETAIL = 'CUDA failure 700: an illegal memory access was encountered';
const FATAL = new GenerationError(
  `The GPU reported a fatal error while generating (${FATAL_DETAIL}). No CUDA work can run in this process any more: start the program again to use the model; if the error repeats, check the GPU and its driver (nvidia-smi).`,
  'FatalDeviceError',
  FATAL_DETAIL,
);
const DEVICE = new GenerationError(
  'The GPU reported an error while generating (CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED). The model stays loaded for the next request; if the error repeats, check the GPU and its driver (nvidia-smi) or run the model on the CPU (executionProvider "cpu").',
  'DeviceError',
  'CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED',
);
/** What the user reads after a fatal GPU error, for that request and every later one. */
const RESTART =
  `The GPU reported a fatal error (${FATAL_DETAIL}). The rule engine keeps annotating. Restart the CancerLLM ` +
  'language server to use the model again; if it repeats, check the GPU and driver with nvidia-smi.';
const WORKER_GONE = new GenerationError('the generation worker exited unexpectedly (code 1)', 'WorkerError');

class Editor implements DraftPort {
  doc = TextDocument.create(URI, 'clinical-note', 1, NOTE);
  readonly edits: TextEdit[][] = [];
  readonly progressed: GenerationProgressParams[] = [];
  readonly logged: string[] = [];
  document = (uri: string) => (uri === URI ? this.doc : undefined);
  settings = async () => ({ ...DEFAULT_SETTINGS, model: { ...DEFAULT_SETTINGS.model, path: '/models/tiny' } });
  progress = (p: GenerationProgressParams) => void this.progressed.push(p);
  log = (message: string) => void this.logged.push(message);
  async applyEdits(_uri: string, version: number, edits: TextEdit[]): Promise<boolean> {
    this.edits.push(edits);
    if (version !== this.doc.version) return false;
    const changes = edits.map((e) => ({
      range: { start: this.doc.positionAt(e.start), end: this.doc.positionAt(e.end) },
      text: e.newText,
    }));
    this.doc = TextDocument.update(this.doc, changes, version + 1);
    return true;
  }
}

/** A model that streams two pieces and then throws `fault` (once per entry in `faults`; afterwards it completes). */
function faultyModel(faults: Array<GenerationError | undefined>) {
  const state = { calls: 0, disposed: false };
  const model: TextModel = {
    name: 'tiny',
    async *complete() {
      const fault = faults[state.calls++];
      yield 'Invasive ';
      yield 'ductal ';
      if (fault) throw fault;
      yield 'carcinoma.';
    },
    dispose: async () => void (state.disposed = true),
  };
  return { model, state };
}

/** A host whose opener hands out the given models in turn and counts the opens. */
function hostOf(...models: TextModel[]) {
  const opened = { count: 0 };
  const host = new ModelHost(async () => {
    const model = models[opened.count++];
    return model ? { ok: true, model: model as never } : { ok: false, message: 'no more models' };
  });
  return { host, opened };
}

const request = { uri: URI, task: 'diagnosis' as const, progressId: 'p' };
const run = (editor: Editor, host: ModelHost) =>
  new DraftGenerator(editor, host).generate(request, new AbortController().signal);

describe('a runtime fault in the middle of a draft', () => {
  test('out of memory: nothing inserted, the message says what to change, the model stays loaded', async () => {
    const editor = new Editor();
    const first = faultyModel([OOM, undefined]);
    const { host, opened } = hostOf(first.model);
    const result = await run(editor, host);
    assert.deepEqual(result, {
      ok: false,
      reason: 'generation-failed',
      message: `tiny failed: ${OOM.message} Nothing was inserted; the note is unchanged.`,
      setting: 'cancerllm.model.maxNewTokens',
    });
    assert.ok(
      editor.progressed.some((p) => p.chars > 0),
      'text had streamed before the fault',
    );
    assert.deepEqual(editor.edits, []);
    assert.equal(editor.doc.getText(), NOTE);
    // the session is still good: the next request runs on the same model and replaces the earlier draft
    assert.equal((await run(editor, host)).ok, true);
    assert.equal(opened.count, 1);
    assert.equal(first.state.disposed, false);
  });

  test('a GPU error the session survives: nothing inserted, the model stays loaded', async () => {
    const editor = new Editor();
    const model = faultyModel([DEVICE, undefined]);
    const { host, opened } = hostOf(model.model);
    const result = await run(editor, host);
    assert.deepEqual(result, {
      ok: false,
      reason: 'generation-failed',
      message: `tiny failed: ${DEVICE.message} Nothing was inserted; the note is unchanged.`,
    });
    assert.equal(editor.doc.getText(), NOTE);
    assert.equal((await run(editor, host)).ok, true);
    assert.deepEqual([opened.count, model.state.disposed], [1, false]);
  });

  test('a fatal GPU error: nothing inserted, the model is disposed and never opened again in this process', async () => {
    const editor = new Editor();
    const broken = faultyModel([FATAL]);
    const { host, opened } = hostOf(broken.model, faultyModel([undefined]).model);
    const answer = {
      ok: false,
      reason: 'loading-failed',
      message: `tiny failed: ${RESTART} Nothing was inserted; the note is unchanged.`,
      restartServer: true,
    };
    assert.deepEqual(await run(editor, host), answer);
    assert.equal(editor.doc.getText(), NOTE);
    assert.equal(broken.state.disposed, true);
    // reloading in this process would fail or land on the CPU: the next request gets the reason, not a new model
    assert.deepEqual(await run(editor, host), { ok: false, reason: 'loading-failed', message: RESTART, restartServer: true });
    assert.equal(opened.count, 1);
    // nor does another local model folder open
    const elsewhere = await host.acquire({ ...DEFAULT_SETTINGS, model: { ...DEFAULT_SETTINGS.model, path: '/m2' } });
    assert.deepEqual(elsewhere, { state: 'failed', restartServer: true, message: RESTART });
    assert.equal(opened.count, 1);
  });

  test('a fatal GPU error while the model loads: the same answer, and no setting to change', async () => {
    const loading = new GenerationError(
      FATAL.message.replace('generating', 'loading the model'),
      FATAL.name,
      FATAL_DETAIL,
    );
    let opens = 0;
    const host = new ModelHost(async () => {
      opens++;
      throw loading;
    });
    const editor = new Editor();
    assert.deepEqual(await run(editor, host), { ok: false, reason: 'loading-failed', message: RESTART, restartServer: true });
    assert.deepEqual(await host.acquire({ ...DEFAULT_SETTINGS, model: { ...DEFAULT_SETTINGS.model, path: '/m2' } }), {
      state: 'failed',
      restartServer: true,
      message: RESTART,
    });
    assert.equal(opens, 1);
  });

  test('a dead worker thread is replaced the same way', async () => {
    const editor = new Editor();
    const { host, opened } = hostOf(faultyModel([WORKER_GONE]).model, faultyModel([undefined]).model);
    const result = await run(editor, host);
    assert.deepEqual(result.ok ? undefined : [result.reason, result.message], [
      'generation-failed',
      'tiny failed: the generation worker exited unexpectedly (code 1). The model is loaded again for the next ' +
        'request. Nothing was inserted; the note is unchanged.',
    ]);
    assert.equal((await run(editor, host)).ok, true);
    assert.equal(opened.count, 2);
  });

  test('a caller still holding the unusable model gets the fault again, without running it', async () => {
    const broken = faultyModel([FATAL, undefined]);
    const { host } = hostOf(broken.model, faultyModel([]).model);
    const state = await host.acquire(await new Editor().settings());
    assert.equal(state.state, 'ready');
    if (state.state !== 'ready') return;
    const drain = async () => {
      for await (const piece of state.model.complete(
        { kind: 'text', text: 'x' },
        { maxNewTokens: 4 },
        new AbortController().signal,
      ))
        void piece;
    };
    await assert.rejects(drain(), FATAL);
    await assert.rejects(drain(), FATAL);
    assert.equal(broken.state.calls, 1);
  });

  test('a model dropped after a fault is disposed before the next one starts to open', async () => {
    const events: string[] = [];
    let finishDispose!: () => void;
    const first: TextModel = {
      name: 'tiny',
      async *complete() {
        throw WORKER_GONE;
      },
      dispose: async () => {
        events.push('dispose started');
        await new Promise<void>((resolve) => (finishDispose = resolve));
        events.push('dispose finished');
      },
    };
    const second = faultyModel([undefined]).model;
    let opens = 0;
    const host = new ModelHost(async () => {
      events.push(`open ${++opens} started`);
      return { ok: true, model: (opens === 1 ? first : second) as never };
    });
    const editor = new Editor();
    await run(editor, host);
    const next = run(editor, host);
    // the second open waits while the first model's dispose is still running (the next request has run as far as
    // it can without I/O once the event loop turns)
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['open 1 started', 'dispose started']);
    finishDispose();
    assert.equal((await next).ok, true);
    assert.deepEqual(events, ['open 1 started', 'dispose started', 'dispose finished', 'open 2 started']);
  });
});

describe('a model that opened on the CPU instead of the GPU', () => {
  const settings = (path: string) => ({ ...DEFAULT_SETTINGS, model: { ...DEFAULT_SETTINGS.model, path } });
  const onCpu = (message: string, unexpected: boolean): TextModel => ({
    ...faultyModel([]).model,
    fallback: { message, unexpected },
  });

  test('CUDA failed to load: logged, and the user is warned once', async () => {
    const reason =
      'CUDA unavailable, running on CPU: the CUDA provider failed to start (CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version)';
    const logged: string[] = [];
    const warned: string[] = [];
    let opens = 0;
    const host = new ModelHost(
      async () => {
        opens++;
        return { ok: true, model: onCpu(reason, true) as never };
      },
      { log: (m) => logged.push(m), warn: (m) => warned.push(m) },
    );
    for (const path of ['/m1', '/m2', '/m1']) assert.equal((await host.acquire(settings(path))).state, 'ready');
    assert.equal(opens, 3);
    assert.deepEqual(warned, [`CancerLLM: the model tiny runs on the CPU, which is much slower: ${reason}`]);
    assert.equal(logged.filter((m) => m === `CancerLLM: tiny: ${reason}`).length, 3);
  });

  test('a machine without CUDA: the reason is logged, nobody is warned', async () => {
    const reason = 'using CPU: the CUDA execution provider is not installed: libonnxruntime_providers_cuda.so missing';
    const logged: string[] = [];
    const warned: string[] = [];
    const host = new ModelHost(async () => ({ ok: true, model: onCpu(reason, false) as never }), {
      log: (m) => logged.push(m),
      warn: (m) => warned.push(m),
    });
    assert.equal((await host.acquire(settings('/m'))).state, 'ready');
    assert.deepEqual([logged, warned], [[`CancerLLM: tiny: ${reason}`], []]);
  });
});
