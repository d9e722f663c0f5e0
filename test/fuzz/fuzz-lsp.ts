// Fuzzes the language server's message handlers over stdio: random edits (valid or not), requests at random and
// out-of-range positions, malformed parameters and unknown methods. The server must answer every request (a result
// or an error), stay alive, and never return a range outside the document.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-protocol/node';
import { LspSession } from '../protocol/lsp-session.ts';
import { int, mutatedNote, pick, prng, seedNotes, type Random } from './generators.ts';
import type { FuzzFailure } from './fuzz-engine.ts';

const REQUESTS = [
  'textDocument/hover',
  'textDocument/codeLens',
  'textDocument/inlayHint',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/semanticTokens/full',
  'textDocument/codeAction',
  'cancerllm/summary',
  'cancerllm/curate',
  'cancerllm/noSuchThing',
];

export async function fuzzLsp(messages: number, seed: number): Promise<FuzzFailure[]> {
  const random = prng(seed);
  const seeds = seedNotes();
  const failures: FuzzFailure[] = [];
  // untitled: documents, so curation requests can never write files.
  const docs = new Map<string, TextDocument>();
  const session = await LspSession.start({ settings: { analysis: { debounceMs: 0 } } });
  try {
    for (let d = 0; d < 3; d++) {
      const uri = `untitled:fuzz-${seed}-${d}`;
      const text = mutatedNote(random, seeds);
      docs.set(uri, TextDocument.create(uri, 'clinical-note', 1, text));
      await session.open(uri, text);
    }
    for (let i = 0; i < messages && failures.length < 10; i++) {
      const uri = pick(random, [...docs.keys()]);
      const doc = docs.get(uri)!;
      if (random() < 0.3) {
        const change = { range: randomRange(random, doc), text: random() < 0.5 ? '' : mutatedNote(random, seeds).slice(0, int(random, 200)) };
        const next = TextDocument.update(doc, [change], doc.version + 1);
        docs.set(uri, next);
        await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: next.version }, contentChanges: [change] });
        continue;
      }
      const method = pick(random, REQUESTS);
      const params = randomParams(random, method, uri, doc);
      try {
        const result: unknown = await session.connection.sendRequest(method, params);
        for (const range of rangesIn(result)) {
          if (!inside(range, doc)) failures.push({ seed, case: i, problem: `${method} returned a range outside the document: ${JSON.stringify(range)}` });
        }
      } catch (error) {
        const code = (error as { code?: number }).code;
        // Errors are fine as answers (invalid params, unknown method); a dropped connection is not.
        if (code === undefined) failures.push({ seed, case: i, problem: `${method}: ${String(error)}` });
      }
    }
    // After the storm: the final text of each document gets diagnostics inside it.
    for (const [uri, doc] of docs) {
      const published = await session.diagnosticsFor(uri, doc.version);
      for (const d of published.diagnostics) {
        if (!inside(d.range, doc)) failures.push({ seed, case: -1, problem: `diagnostic outside the document: ${JSON.stringify(d.range)}` });
      }
    }
    const code = await session.stop();
    if (code !== 0) failures.push({ seed, case: -1, problem: `server exited with ${code}` });
  } finally {
    session.kill();
  }
  return failures;
}

function randomPosition(random: Random, doc: TextDocument) {
  // Mostly inside, sometimes far outside or negative-like, as buggy clients send.
  if (random() < 0.1) return { line: int(random, 100_000), character: int(random, 100_000) };
  const line = int(random, doc.lineCount + 1);
  return { line, character: int(random, 120) };
}

function randomRange(random: Random, doc: TextDocument): Range {
  const a = randomPosition(random, doc);
  const b = randomPosition(random, doc);
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
}

function randomParams(random: Random, method: string, uri: string, doc: TextDocument): unknown {
  const garbage = pick(random, [null, 42, 'x', [], { uri: 7 }, { textDocument: null }]);
  if (random() < 0.1) return garbage;
  const textDocument = { uri: random() < 0.05 ? 'file:///not/open.note' : uri };
  switch (method) {
    case 'cancerllm/summary':
      return { uri: textDocument.uri };
    case 'cancerllm/curate':
      return { uri, version: doc.version - int(random, 2), action: pick(random, ['accept', 'reject', 'add', 'explode']), start: int(random, doc.getText().length + 5), end: int(random, doc.getText().length + 50), foundType: pick(random, ['tnm', 'nope', undefined]) };
    case 'textDocument/inlayHint':
    case 'textDocument/codeAction':
      return { textDocument, range: randomRange(random, doc), context: { diagnostics: [] } };
    default:
      return { textDocument, position: randomPosition(random, doc) };
  }
}

/** Every LSP range inside a result, found structurally (objects with start and end positions). */
function rangesIn(value: unknown, found: Range[] = []): Range[] {
  if (Array.isArray(value)) value.forEach((v) => rangesIn(v, found));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (isPosition(record.start) && isPosition(record.end)) found.push(record as unknown as Range);
    else Object.values(record).forEach((v) => rangesIn(v, found));
  }
  return found;
}

function isPosition(value: unknown): boolean {
  return !!value && typeof value === 'object' && typeof (value as { line?: unknown }).line === 'number' && typeof (value as { character?: unknown }).character === 'number';
}

function inside(range: Range, doc: TextDocument): boolean {
  const end = doc.positionAt(doc.getText().length);
  const within = (p: Range['start']) => p.line >= 0 && p.character >= 0 && (p.line < end.line || (p.line === end.line && p.character <= end.character));
  return within(range.start) && within(range.end);
}
