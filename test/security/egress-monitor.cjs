// Preloaded into the language server by the no-egress test (node --require): records every attempt to open a
// network connection or resolve a host name, through any of Node's networking modules, to the file named by
// CANCERLLM_EGRESS_LOG. Local IPC (pipes, the LSP stdio) is not networking and is not recorded.
const fs = require('node:fs');

const log = process.env.CANCERLLM_EGRESS_LOG;
function record(what) {
  if (log) fs.appendFileSync(log, `${what}\n`);
}

const net = require('node:net');
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const first = args[0];
  const options = typeof first === 'object' && first !== null ? first : {};
  // A path means a Unix domain socket or a Windows pipe: local IPC, not the network.
  if (!options.path && typeof first !== 'string') record(`net.connect ${JSON.stringify({ host: options.host, port: options.port ?? first })}`);
  return originalConnect.apply(this, args);
};
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(...args) {
  record(`net.listen ${JSON.stringify(args[0])}`);
  return originalListen.apply(this, args);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  const dns = require('node:dns');
  const original = dns[name];
  dns[name] = function patched(...args) {
    record(`dns.${name} ${String(args[0])}`);
    return original.apply(this, args);
  };
}
const dgram = require('node:dgram');
const originalCreateSocket = dgram.createSocket;
dgram.createSocket = function createSocket(...args) {
  record('dgram.createSocket');
  return originalCreateSocket.apply(this, args);
};
if (typeof globalThis.fetch === 'function') {
  const originalFetch = globalThis.fetch;
  globalThis.fetch = function fetch(...args) {
    record(`fetch ${String(args[0])}`);
    return originalFetch.apply(this, args);
  };
}
