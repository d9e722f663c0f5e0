// Privacy promises (README, "Privacy and reliability"): with default settings the server opens no network
// connection, and nothing it logs or prints contains note text.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { SERVER_JS } from '../protocol/lsp-session.ts';
import { buildTinyModel } from '../llm/tiny-model.ts';

/** Distinctive strings that can only reach a log by copying note text. */
const MARKERS = ['ZQXJ-PATIENT-NAME-7731', 'Mrn 99118822', 'unique-marker-kwyjibo'];

function noteWith(marker: string): string {
  return `CLINICAL HISTORY:\nPatient ${marker} seen today.\nFINAL DIAGNOSIS: invasive ductal carcinoma, pT2 N1a M0, ${marker}.\nER positive (95%).\n`;
}

/** Inodes of the process's sockets that are TCP, UDP or raw sockets (not Unix-domain ones). */
function networkSockets(pid: number): string[] {
  const inodes = readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      } catch {
        return undefined; // the descriptor closed while we looked
      }
    })
    .filter((inode): inode is string => inode !== undefined);
  const network = new Set<string>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6']) {
    const path = `/proc/${pid}/net/${table}`;
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
      const inode = line.trim().split(/\s+/)[9];
      if (inode) network.add(inode);
    }
  }
  return inodes.filter((inode) => network.has(inode));
}

test('the server opens no network connection and logs no note text while it analyses, hovers, exports and generates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cancerllm-privacy-'));
  const egressLog = join(dir, 'egress.log');
  const modelDir = join(dir, 'tiny-model');
  buildTinyModel(modelDir, 11);
  const child = spawn(process.execPath, ['--require', join(import.meta.dirname, 'egress-monitor.cjs'), SERVER_JS, '--stdio'], {
    stdio: 'pipe',
    env: { ...process.env, CANCERLLM_EGRESS_LOG: egressLog },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const logged: string[] = [];
  const keep = (message: string): void => {
    logged.push(message);
  };
  connection.onNotification('window/logMessage', (params: { message: string }) => keep(params.message));
  connection.onNotification('window/showMessage', (params: { message: string }) => keep(params.message));
  connection.onNotification('telemetry/event', (params: unknown) => keep(JSON.stringify(params)));
  connection.onRequest('workspace/configuration', () => [
    { analysis: { debounceMs: 0 }, diagnostics: { severity: { present: 'loud' } }, model: { path: modelDir, maxNewTokens: 4 } },
  ]);
  connection.onRequest('workspace/applyEdit', () => ({ applied: true }));
  const published = new Promise<void>((resolve) =>
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => {
      if (p.uri.endsWith('n2.note')) resolve();
    }),
  );
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification('initialized', {});
    for (const [index, marker] of MARKERS.entries()) {
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: `file://${dir}/n${index}.note`, languageId: 'clinical-note', version: 1, text: noteWith(marker) } });
    }
    await published;
    await connection.sendRequest('textDocument/hover', { textDocument: { uri: `file://${dir}/n0.note` }, position: { line: 2, character: 20 } });
    await connection.sendRequest('cancerllm/curate', { uri: `file://${dir}/n0.note`, version: 1, action: 'reject', start: 0, end: 4, foundType: 'tnm' });
    await connection.sendRequest('cancerllm/export', { format: 'fhir', outDir: join(dir, 'out'), uris: [`file://${dir}/n1.note`] });
    const draft: { ok: boolean } = await connection.sendRequest('cancerllm/generateDraft', { uri: `file://${dir}/n2.note`, task: 'diagnosis', progressId: 'p1' });
    assert.equal(draft.ok, true, `a draft was generated locally: ${JSON.stringify(draft)}`);
    // Node's stdio pipes are Unix socket pairs; a network socket would be listed in /proc/net/{tcp,udp,raw}*.
    assert.deepEqual(networkSockets(child.pid!), [], 'no network socket is open');
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
    child.kill();
  }
  assert.equal(existsSync(egressLog) ? readFileSync(egressLog, 'utf8') : '', '', 'no network attempt was recorded');
  assert.ok(logged.length > 0, 'the server did log something (a settings warning at least)');
  const everything = [...logged, stderr].join('\n');
  for (const marker of MARKERS) assert.ok(!everything.includes(marker), `logs contain note text (${marker})`);
});
