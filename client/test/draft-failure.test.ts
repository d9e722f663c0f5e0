// What the user reads when a draft was not inserted: a lost connection says the server stopped, any other rejection
// its own message; a failure that a setting fixes offers the setting, a model only a new server can load offers a
// restart. Rejections are the real error objects vscode-jsonrpc produces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc';
import { CONNECTION_LOST_CODES, draftFailureNotice, rejectedDraft } from '../src/draft-failure.ts';

const TITLE = 'Generate Treatment Plan';
const STOPPED =
  'the language server stopped before the draft was ready, so nothing was inserted. Run the command again.';

test('the connection-lost codes are vscode-jsonrpc’s', () => {
  assert.deepEqual(CONNECTION_LOST_CODES, [
    ErrorCodes.MessageWriteError,
    ErrorCodes.PendingResponseRejected,
    ErrorCodes.ConnectionInactive,
  ]);
});

test('a request whose connection was lost says the server stopped', () => {
  const crashed = new ResponseError(
    ErrorCodes.PendingResponseRejected,
    'Pending response rejected since connection got disposed',
  );
  const notRunning = new ResponseError(ErrorCodes.ConnectionInactive, 'Client is not running');
  for (const error of [crashed, notRunning])
    assert.deepEqual(rejectedDraft(error), { ok: false, reason: 'generation-failed', message: STOPPED });
});

test('any other rejection shows its own message, not "server stopped"', () => {
  const failed = new ResponseError(
    ErrorCodes.InternalError,
    'Request cancerllm/generateDraft failed with message: prompts/index.json is not valid JSON',
  );
  assert.deepEqual(rejectedDraft(failed), {
    ok: false,
    reason: 'generation-failed',
    message:
      'Request cancerllm/generateDraft failed with message: prompts/index.json is not valid JSON. Nothing was inserted.',
  });
  assert.equal(rejectedDraft(new Error('socket hang up')).message, 'socket hang up. Nothing was inserted.');
});

test('a failure a setting fixes offers "Open Settings" on that setting', () => {
  const notice = draftFailureNotice(TITLE, {
    ok: false,
    reason: 'no-model',
    message: 'Set cancerllm.model.path to a local ONNX model folder.',
    setting: 'cancerllm.model.path',
  });
  assert.deepEqual(notice, {
    message:
      'CancerLLM: Generate Treatment Plan needs a language model, and none is configured. Set cancerllm.model.path to a local ONNX model folder.',
    actions: [{ title: 'Open Settings', command: 'workbench.action.openSettings', argument: 'cancerllm.model.path' }],
  });
});

test('a model that only a restarted server can load offers "Restart Server"', () => {
  const message =
    'The GPU reported a fatal error (CUDA failure 700: an illegal memory access was encountered). The rule engine keeps annotating. Restart the CancerLLM language server to use the model again; if it repeats, check the GPU and driver with nvidia-smi.';
  assert.deepEqual(draftFailureNotice(TITLE, { ok: false, reason: 'loading-failed', message, restartServer: true }), {
    message: `CancerLLM: Generate Treatment Plan: ${message}`,
    actions: [{ title: 'Restart Server', command: 'cancerllm.restartServer' }],
  });
});

test('a model that fails to load for another reason offers no restart', () => {
  const message = 'The model folder /m has no tokenizer.json.';
  assert.deepEqual(draftFailureNotice(TITLE, { ok: false, reason: 'loading-failed', message }), {
    message: `CancerLLM: Generate Treatment Plan: ${message}`,
    actions: [],
  });
});

test('a generation failure without a setting offers nothing; a cancelled one says nothing', () => {
  assert.deepEqual(draftFailureNotice(TITLE, { ok: false, reason: 'generation-failed', message: 'm failed: x.' }), {
    message: 'CancerLLM: Generate Treatment Plan: m failed: x.',
    actions: [],
  });
  assert.equal(draftFailureNotice(TITLE, { ok: false, reason: 'cancelled', message: 'cancelled' }), undefined);
});
