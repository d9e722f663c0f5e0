// Starts the built language server as a child process and speaks LSP to it over stdio with a real client
// connection. Waits are on events (a notification that matches), never on sleeps.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  createProtocolConnection,
  InitializeRequest,
  type InitializeResult,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const SERVER_JS = join(REPO_ROOT, 'dist', 'server.js');

export interface SessionOptions {
  /** The `cancerllm` section returned for workspace/configuration requests; undefined means the client lacks that capability. */
  settings?: Record<string, unknown>;
  /** Workspace folder URIs announced in initialize. */
  workspaceFolders?: string[];
}

export class LspSession {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly warnings: string[] = [];
  readonly logs: string[] = [];
  stderr = '';
  initializeResult: InitializeResult | undefined;
  settings: Record<string, unknown> | undefined;
  private readonly waiters: Array<() => void> = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    options: SessionOptions,
  ) {
    this.settings = options.settings;
    process.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.push(params);
      this.wake();
    });
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.warnings.push(params.message);
      this.wake();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.wake();
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings ?? null));
    connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      this.warnings.push(params.message);
      this.wake();
      return null;
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
  }

  static async start(options: SessionOptions = {}): Promise<LspSession> {
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const session = new LspSession(child, connection, options);
    session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.workspaceFolders?.map((uri, index) => ({ uri, name: `folder-${index}` })) ?? null,
      capabilities: { workspace: { configuration: options.settings !== undefined, didChangeConfiguration: { dynamicRegistration: false } } },
    });
    await connection.sendNotification('initialized', {});
    return session;
  }

  open(uri: string, text: string, languageId = 'clinical-note', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Resolves with the first message that satisfies `predicate` among those already received or yet to come. */
  async waitFor<T>(pick: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pick();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr: ${this.stderr.slice(-500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  diagnosticsFor(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      () => this.diagnostics.find((d) => d.uri === uri && (version === undefined || d.version === version)),
      `diagnostics for ${uri}${version === undefined ? '' : ` version ${version}`}`,
    );
  }

  /** Shuts the server down the LSP way and resolves with its exit code. */
  async stop(): Promise<number | null> {
    const exited = once(this.process, 'exit');
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const [code] = (await exited) as [number | null];
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    this.process.kill();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
