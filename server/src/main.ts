// Entry point of the language server: `node dist/server.js --stdio` (or --node-ipc when VS Code starts it).
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { bindConnection } from './connection.ts';

const connection = createConnection(ProposedFeatures.all);
// The bundle is CommonJS, so __dirname is the dist folder that also holds the worker bundle.
bindConnection(connection, { analysisWorker: join(__dirname, 'analysis-worker.js') });
// A stray rejected promise must not end the server (and the user's diagnostics) for good: log it and go on.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`Unhandled rejection in the language server: ${reason instanceof Error ? reason.name : typeof reason}`);
});
connection.listen();
