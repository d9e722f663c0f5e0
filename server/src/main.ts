// Entry point of the language server: `node dist/server.js --stdio` (or --node-ipc when VS Code starts it).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { bindConnection } from './connection.ts';

const connection = createConnection(ProposedFeatures.all);
bindConnection(connection);
// A stray rejected promise must not end the server (and the user's diagnostics) for good: log it and go on.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`Unhandled rejection in the language server: ${reason instanceof Error ? reason.name : typeof reason}`);
});
connection.listen();
