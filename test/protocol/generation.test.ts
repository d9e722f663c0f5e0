// Draft generation end to end: a real LSP connection (in-process, over streams) to the server from sources, a real
// tiny random-weight model built in the test and run by the model runtime's worker. The model writes gibberish, so
// the tests check structure: marker, placement, one edit (one undo), versions, cancellation, concurrent typing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createConnection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  GENERATE_DRAFT_REQUEST,
  GENERATION_PROGRESS_NOTIFICATION,
  REMOTE_API_KEY_ENV,
  type GenerateDraftResult,
  type GenerationProgressParams,
} from '@cancerllm/protocol';
import { bindConnection } from '../../server/src/connection.ts';
import { buildTinyModel } from '../llm/tiny-model.ts';

const URI = 'file:///tmp/generation-test.note';
const NOTE =
  'HISTORY:\nLeft breast mass.\n\nFINAL DIAGNOSIS:\nInvasive ductal carcinoma, grade 2.\n\nPLAN:\nSurgery.\n';

interface AppliedEdit {
  version: number;
  edits: Array<{
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }>;
}

/** The editor side: one document, versioned edits applied the way VS Code applies them. */
class Editor {
  doc = TextDocument.create(URI, 'clinical-note', 1, NOTE);
  readonly applied: AppliedEdit[] = [];
  /** Edits refused because they were made against an older version. */
  refused = 0;
  readonly progress: GenerationProgressParams[] = [];
  private readonly listeners: Array<() => void> = [];

  constructor(
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
    connection.onRequest(
      'workspace/applyEdit',
      (params: {
        edit: { documentChanges: Array<{ textDocument: { version: number } } & AppliedEdit> };
      }): { applied: boolean; failureReason?: string } => {
        const change = params.edit.documentChanges[0]!;
        if (change.textDocument.version !== this.doc.version) {
          this.refused++;
          return { applied: false, failureReason: 'version mismatch' };
        }
        this.applied.push({ version: change.textDocument.version, edits: change.edits });
        this.change(change.edits.map((e) => ({ range: e.range, text: e.newText })));
        return { applied: true };
      },
    );
    connection.onNotification(GENERATION_PROGRESS_NOTIFICATION, (p: GenerationProgressParams) => {
      this.progress.push(p);
      for (const l of this.listeners.splice(0)) l();
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', () => {});
    connection.onNotification('textDocument/publishDiagnostics', () => {});
    connection.onNotification('cancerllm/serverStatus', () => {});
  }

  /** Milliseconds between a local edit and its didChange reaching the server (the editor runs ahead). */
  notifyDelayMs = 0;

  change(changes: Array<{ range: AppliedEdit['edits'][number]['range']; text: string }>): void {
    this.doc = TextDocument.create(
      URI,
      'clinical-note',
      this.doc.version + 1,
      TextDocument.applyEdits(
        this.doc,
        changes.map((c) => ({ range: c.range, newText: c.text })),
      ),
    );
    const { version } = this.doc;
    const text = this.doc.getText();
    const notify = () =>
      void this.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: URI, version },
        contentChanges: [{ text }],
      });
    if (this.notifyDelayMs > 0) setTimeout(notify, this.notifyDelayMs);
    else notify();
  }

  nextProgress(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }
}

async function session(settings: Record<string, unknown>): Promise<{ editor: Editor; close: () => void }> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  bindConnection(serverConnection);
  serverConnection.listen();
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const editor = new Editor(client, settings);
  client.listen();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true, applyEdit: true } },
  });
  await client.sendNotification('initialized', {});
  await client.sendNotification('textDocument/didOpen', {
    textDocument: { uri: URI, languageId: 'clinical-note', version: 1, text: NOTE },
  });
  return {
    editor,
    close: () => {
      void client.sendRequest('shutdown').finally(() => {
        client.dispose();
        serverConnection.dispose();
      });
    },
  };
}

const HEADER = /^\[DRAFT — generated by model; review required — Diagnosis, prompt diagnosis@1\]$/m;

describe('cancerllm/generateDraft with a tiny local model', () => {
  let root: string;
  let modelDir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'cancerllm-generation-'));
    modelDir = join(root, 'model');
    buildTinyModel(modelDir, 7, 2048);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const settings = (maxNewTokens: number) => ({ model: { path: modelDir, maxNewTokens } });

  test('inserts one marked draft after the diagnosis section, in one edit that undo reverts', async () => {
    const { editor, close } = await session(settings(8));
    try {
      const result = await editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
        uri: URI,
        task: 'diagnosis',
        progressId: 'a',
      });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual([result.model, result.promptId, result.version], ['model', 'diagnosis@1', 1]);
      const text = editor.doc.getText();
      assert.match(text, HEADER);
      assert.ok(text.slice(result.start, result.end).endsWith('[END DRAFT — Diagnosis]'));
      assert.ok(text.indexOf('[DRAFT') > text.indexOf('grade 2.') && text.indexOf('[DRAFT') < text.indexOf('PLAN:'));
      // one edit, one undo step: reverting it gives the note back
      assert.equal(editor.applied.length, 1);
      assert.equal(editor.applied[0]!.edits.length, 1);
      const inserted = editor.applied[0]!.edits[0]!.newText;
      assert.equal(text.replace(inserted, ''), NOTE);
      assert.ok(editor.progress.some((p) => p.stage === 'generating' && p.model === 'model'));
    } finally {
      close();
    }
  });

  test('running it again replaces the draft instead of stacking another', async () => {
    const { editor, close } = await session(settings(4));
    try {
      for (const id of ['a', 'b']) {
        const result = await editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
          uri: URI,
          task: 'diagnosis',
          progressId: id,
        });
        assert.ok(result.ok, JSON.stringify(result));
      }
      assert.equal(editor.doc.getText().match(/\[DRAFT —/g)?.length, 1);
    } finally {
      close();
    }
  });

  test('text typed during generation survives, and the draft still lands after its section', async () => {
    const { editor, close } = await session(settings(200));
    try {
      const typed = editor
        .nextProgress()
        .then(() =>
          editor.change([
            { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'TYPED ' },
          ]),
        );
      const result = await editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
        uri: URI,
        task: 'diagnosis',
        progressId: 'c',
      });
      await typed;
      assert.ok(result.ok, JSON.stringify(result));
      const text = editor.doc.getText();
      assert.ok(text.startsWith('TYPED HISTORY:'), text.slice(0, 40));
      assert.match(text, HEADER);
      assert.ok(result.version >= 2, `inserted into version ${result.version}`);
    } finally {
      close();
    }
  });

  test('an edit refused because the editor is ahead is retried on the newer text once it arrives', async () => {
    const { editor, close } = await session(settings(4));
    try {
      editor.notifyDelayMs = 1000;
      const typed = editor.nextProgress().then(() => {
        editor.change([
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'AHEAD ' },
        ]);
        editor.notifyDelayMs = 0;
      });
      const result = await editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
        uri: URI,
        task: 'diagnosis',
        progressId: 'ahead',
      });
      await typed;
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.version, 2);
      assert.equal(editor.refused, 1, 'the first edit, made against version 1, was refused');
      assert.ok(editor.doc.getText().startsWith('AHEAD HISTORY:'));
      assert.match(editor.doc.getText(), HEADER);
    } finally {
      close();
    }
  });

  test('cancelling stops generation and inserts nothing', async () => {
    const { editor, close } = await session(settings(1500));
    try {
      const source = new CancellationTokenSource();
      void editor.nextProgress().then(() => source.cancel());
      const started = Date.now();
      const result = await editor.connection
        .sendRequest<GenerateDraftResult>(
          GENERATE_DRAFT_REQUEST,
          { uri: URI, task: 'diagnosis', progressId: 'd' },
          source.token,
        )
        .catch((error: { code?: number }) => ({
          ok: false as const,
          reason: error.code === -32800 ? 'cancelled' : String(error.code),
          message: '',
        }));
      assert.equal(result.ok ? 'ok' : result.reason, 'cancelled');
      assert.equal(editor.doc.getText(), NOTE);
      assert.equal(editor.applied.length, 0);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      close();
    }
  });

  test('no model configured: the result says so and names the setting', async () => {
    const { editor, close } = await session({});
    try {
      const result = await editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
        uri: URI,
        task: 'treatment-plan',
        progressId: 'e',
      });
      assert.deepEqual(result.ok ? undefined : [result.reason, result.setting], ['no-model', 'cancerllm.model.path']);
    } finally {
      close();
    }
  });

  test('a folder that is not a model: the result says why loading failed', async () => {
    const { editor, close } = await session({ model: { path: root } });
    try {
      const result = await editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
        uri: URI,
        task: 'diagnosis',
        progressId: 'f',
      });
      assert.equal(result.ok ? 'ok' : result.reason, 'loading-failed');
      assert.match(result.ok ? '' : result.message, /^The model could not be loaded: /);
    } finally {
      close();
    }
  });
});

describe('the built server (dist/server.js) with the bundled generation worker', () => {
  test('generates a draft over stdio', async () => {
    const { LspSession } = await import('./lsp-session.ts');
    const root = mkdtempSync(join(tmpdir(), 'cancerllm-generation-built-'));
    const modelDir = join(root, 'tiny');
    buildTinyModel(modelDir, 5, 1024);
    const session = await LspSession.start({ settings: { model: { path: modelDir, maxNewTokens: 4 } } });
    const edits: Array<{
      edit: { documentChanges: Array<{ textDocument: { version: number }; edits: Array<{ newText: string }> }> };
    }> = [];
    session.connection.onRequest('workspace/applyEdit', (params: (typeof edits)[number]) => {
      edits.push(params);
      return { applied: true };
    });
    try {
      await session.open(URI, NOTE);
      const result = await session.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, {
        uri: URI,
        task: 'treatment-plan',
        progressId: 'x',
      });
      assert.ok(result.ok, `${JSON.stringify(result)} ${session.stderr.slice(-300)}`);
      assert.deepEqual([result.model, result.promptId], ['tiny', 'treatment-plan@1']);
      assert.equal(edits.length, 1);
      assert.equal(edits[0]!.edit.documentChanges[0]!.textDocument.version, 1);
      assert.match(
        edits[0]!.edit.documentChanges[0]!.edits[0]!.newText,
        /^\[DRAFT — generated by tiny; review required — Treatment plan, prompt treatment-plan@1\]\n[\s\S]*\n\[END DRAFT — Treatment plan\]\n$/,
      );
    } finally {
      await session.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('cancerllm/generateDraft with the remote backend', () => {
  test('the API key in the server environment reaches the remote server, and the draft names the remote model', async () => {
    const stub = spawn(process.execPath, [join(import.meta.dirname, '..', 'llm', 'openai-stub.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [port] = (await once(stub.stdout, 'data')) as [Buffer];
    const settings = {
      model: { backend: 'remote' },
      remote: { url: `http://127.0.0.1:${String(port).trim()}/v1`, model: 'needs-key', retries: 0 },
    };
    const request = { uri: URI, task: 'diagnosis', progressId: 'r' };
    const without = await session(settings);
    process.env[REMOTE_API_KEY_ENV] = 's3cret';
    const withKey = await session(settings);
    delete process.env[REMOTE_API_KEY_ENV];
    try {
      const denied = await without.editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, request);
      assert.deepEqual(denied.ok ? undefined : [denied.reason, denied.message], [
        'generation-failed',
        'needs-key failed: the remote model server answered HTTP 401 (run "CancerLLM: Set Remote API Key")',
      ]);
      const result = await withKey.editor.connection.sendRequest<GenerateDraftResult>(GENERATE_DRAFT_REQUEST, request);
      assert.ok(result.ok, JSON.stringify(result));
      assert.match(
        withKey.editor.doc.getText(),
        /^\[DRAFT — generated by needs-key; review required — Diagnosis, prompt diagnosis@1\]\nInvasive ductal carcinoma\.\n\[END DRAFT — Diagnosis\]$/m,
      );
    } finally {
      without.close();
      withKey.close();
      stub.stdin.end();
    }
  });
});
