// The remote backend against a real HTTP server process on loopback (test/llm/openai-stub.mjs).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REMOTE_CONCURRENCY, RemoteModel, type RemoteConfig } from '../src/llm/remote-model.ts';
import { completeText } from '../src/llm/text-model.ts';

const STUB = join(import.meta.dirname, '..', '..', 'test', 'llm', 'openai-stub.mjs');

describe('RemoteModel', () => {
  let stub: ChildProcess;
  let base: string;
  before(async () => {
    stub = spawn(process.execPath, [STUB], { stdio: ['pipe', 'pipe', 'inherit'] });
    const [port] = (await once(stub.stdout!, 'data')) as [Buffer];
    base = `http://127.0.0.1:${String(port).trim()}`;
  });
  after(() => stub.stdin?.end());

  const model = (overrides: Partial<RemoteConfig>) =>
    new RemoteModel({ url: `${base}/v1`, model: 'ok', timeoutMs: 2000, retries: 0, ...overrides }, () => 10);
  const stats = async () =>
    (
      (await (await fetch(`${base}/stats`)).json()) as {
        requests: Array<{ url: string; authorization: string | null; body: Record<string, unknown> }>;
      }
    ).requests;

  test('a chat prompt streams from /v1/chat/completions', async () => {
    const pieces: string[] = [];
    for await (const piece of model({}).complete(
      { kind: 'chat', user: 'note' },
      { maxNewTokens: 20 },
      new AbortController().signal,
    ))
      pieces.push(piece);
    assert.deepEqual(pieces, ['Invasive ', 'ductal ', 'carcinoma.']);
    const last = (await stats()).at(-1)!;
    assert.equal(last.url, '/v1/chat/completions');
    assert.deepEqual(last.body.messages, [{ role: 'user', content: 'note' }]);
    assert.equal(last.body.stream, true);
    assert.equal(last.body.max_tokens, 20);
  });

  test('a text prompt streams from /v1/completions', async () => {
    const text = await completeText(
      model({}),
      { kind: 'text', text: '### Instruction:' },
      { maxNewTokens: 5 },
      new AbortController().signal,
    );
    assert.equal(text, 'Invasive ductal carcinoma.');
    assert.equal((await stats()).at(-1)!.url, '/v1/completions');
  });

  test('the API key is sent as a bearer token, and a 401 says how to set it', async () => {
    const withKey = await completeText(
      model({ model: 'needs-key', apiKey: 's3cret' }),
      { kind: 'chat', user: 'x' },
      { maxNewTokens: 5 },
      new AbortController().signal,
    );
    assert.equal(withKey, 'Invasive ductal carcinoma.');
    await assert.rejects(
      completeText(
        model({ model: 'needs-key' }),
        { kind: 'chat', user: 'x' },
        { maxNewTokens: 5 },
        new AbortController().signal,
      ),
      /HTTP 401 \(run "CancerLLM: Set Remote API Key"\)/,
    );
  });

  test('a batch job runs as concurrent requests, at most REMOTE_CONCURRENCY at once, answers in order', async () => {
    const prompts = Array.from({ length: 10 }, (_, i) => ({ kind: 'chat' as const, user: `question ${i}` }));
    const answers = await model({ model: 'echo' }).completeAll(prompts, { maxNewTokens: 5 }, new AbortController().signal);
    assert.deepEqual(answers, prompts.map((p) => p.user));
    const { mostInFlight } = (await (await fetch(`${base}/stats`)).json()) as { mostInFlight: number };
    assert.equal(mostInFlight, REMOTE_CONCURRENCY);
  });

  test('in a batch job the first failure is thrown and the requests still running are cancelled', async () => {
    const before = (await stats()).length;
    const prompts = Array.from({ length: 10 }, () => ({ kind: 'chat' as const, user: 'x' }));
    await assert.rejects(
      model({ model: 'needs-key' }).completeAll(prompts, { maxNewTokens: 5 }, new AbortController().signal),
      /HTTP 401/,
    );
    // the lanes that were running stop; no lane starts another request after the failure
    assert.ok((await stats()).length - before <= REMOTE_CONCURRENCY, 'requests after the first failure');
  });

  test('a 503 is retried', async () => {
    const text = await completeText(
      model({ model: 'flaky', retries: 2 }),
      { kind: 'chat', user: 'x' },
      { maxNewTokens: 5 },
      new AbortController().signal,
    );
    assert.equal(text, 'Invasive ductal carcinoma.');
  });

  test('a server that never answers times out with a message naming the setting', async () => {
    await assert.rejects(
      completeText(
        model({ model: 'silent', timeoutMs: 1000 }),
        { kind: 'chat', user: 'secret note text' },
        { maxNewTokens: 5 },
        new AbortController().signal,
      ),
      (error: Error) =>
        /did not answer within 1000 ms \(cancerllm\.remote\.timeoutMs\)/.test(error.message) &&
        !error.message.includes('secret'),
    );
  });

  test('cancelling ends the stream early without an error', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    for await (const piece of model({ model: 'slow-stream' }).complete(
      { kind: 'chat', user: 'x' },
      { maxNewTokens: 5 },
      controller.signal,
    )) {
      pieces.push(piece);
      controller.abort();
    }
    assert.deepEqual(pieces, ['Invasive ']);
  });

  test('an unreachable server is an error naming the address, after the retries', async () => {
    const dead = new RemoteModel({ url: 'http://127.0.0.1:9/v1', model: 'ok', timeoutMs: 1000, retries: 1 }, () => 10);
    await assert.rejects(
      completeText(dead, { kind: 'chat', user: 'x' }, { maxNewTokens: 5 }, new AbortController().signal),
      /cannot reach the remote model server at http:\/\/127\.0\.0\.1:9/,
    );
  });
});
