// Runtime faults in the middle of a draft, at the server's side of the model runtime: the note is never edited
// (an earlier draft included), the answer names the fault and what to do, out of memory keeps the model loaded,
// and a fault that leaves the model unusable (a GPU error, a dead worker thread) makes the host load it again for
// the next request. The runtime's errors are built as LlmWorker builds them (GenerationError with the fault's
// name); the runtime's own tests produce them from ONNX Runtime.
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
const DEVICE = new GenerationError(
  'The GPU reported an error while generating (CUDA failure 700: an illegal memory access was encountered). The model is loaded again for the next request; if the error repeats, restart the language server and check the GPU and its driver (nvidia-smi).',
  'DeviceError',
);
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

  test('a GPU error: nothing inserted, the model is disposed and loaded again for the next request', async () => {
    const editor = new Editor();
    const broken = faultyModel([DEVICE]);
    const fresh = faultyModel([undefined]);
    const { host, opened } = hostOf(broken.model, fresh.model);
    const result = await run(editor, host);
    assert.deepEqual(result, {
      ok: false,
      reason: 'generation-failed',
      message: `tiny failed: ${DEVICE.message} Nothing was inserted; the note is unchanged.`,
    });
    assert.equal(editor.doc.getText(), NOTE);
    assert.equal(broken.state.disposed, true);
    const next = await run(editor, host);
    assert.equal(next.ok, true, JSON.stringify(next));
    assert.equal(opened.count, 2);
    assert.match(editor.doc.getText(), /Invasive ductal carcinoma\.\n\[END DRAFT — Diagnosis\]/);
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
    const broken = faultyModel([DEVICE, undefined]);
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
    await assert.rejects(drain(), DEVICE);
    await assert.rejects(drain(), DEVICE);
    assert.equal(broken.state.calls, 1);
  });
});
