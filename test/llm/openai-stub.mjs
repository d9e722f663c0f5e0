// A small OpenAI-compatible server on 127.0.0.1 for tests: streams canned completions as server-sent events.
// The model name picks the behaviour. Prints its port on stdout; exits when stdin closes or after 30 s.
import { createServer } from 'node:http';

const requests = [];
let failuresLeft = 1;
let inFlight = 0;
let mostInFlight = 0;

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.end(JSON.stringify({ requests, mostInFlight }));
      return;
    }
    const request = JSON.parse(body || '{}');
    requests.push({ url: req.url, authorization: req.headers.authorization ?? null, body: request });
    const model = String(request.model);
    if (model === 'needs-key' && req.headers.authorization !== 'Bearer s3cret') return void res.writeHead(401).end();
    if (model === 'flaky' && failuresLeft-- > 0) return void res.writeHead(503).end();
    if (model === 'silent') return; // never answers: the client's timeout must fire
    const chat = req.url === '/v1/chat/completions';
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    res.on('close', () => inFlight--);
    // 'echo' answers with the prompt itself, slowly enough that concurrent requests overlap
    const prompt = chat ? String(request.messages?.[0]?.content ?? '') : String(request.prompt ?? '');
    const pieces =
      model === 'json'
        ? ['```json\n[{"type": "tumor_size", ', '"text": "2.5 cm"}]\n```']
        : model === 'echo'
          ? [prompt]
          : ['Invasive ', 'ductal ', 'carcinoma.'];
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (i) => {
      if (i === pieces.length) return void res.end('data: [DONE]\n\n');
      const choice = chat ? { delta: { content: pieces[i] } } : { text: pieces[i] };
      res.write(`data: ${JSON.stringify({ choices: [choice] })}\n\n`);
      setTimeout(() => send(i + 1), model === 'slow-stream' ? 200 : model === 'echo' ? 40 : 1);
    };
    send(0);
  });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
const stop = () => process.exit(0);
process.stdin.on('end', stop);
process.stdin.resume();
setTimeout(stop, 30_000).unref();
