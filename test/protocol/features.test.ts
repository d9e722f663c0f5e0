// Protocol tests of the editor features: hover, inlay hints, code lenses, outline, folding, semantic tokens, summary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CodeLens, DocumentSymbol, FoldingRange, Hover, InlayHint, MarkupContent, SemanticTokens } from 'vscode-languageserver-protocol/node';
import { LspSession } from './lsp-session.ts';

const NOTE = [
  'FINAL DIAGNOSIS:',
  'Left breast, lumpectomy: invasive ductal carcinoma, 2.3 x 1.8 cm.',
  'Pathologic stage: pT2 N1a M0, stage IIB.',
  'ER positive (95%), PR positive, HER2 negative.',
  '',
  'SYNOPTIC SUMMARY:',
  'Margins: negative',
  'Lymphovascular invasion: not identified',
  '',
].join('\n');
const URI = 'file:///notes/features.note';

let session: LspSession;
before(async () => {
  session = await LspSession.start({ settings: { analysis: { debounceMs: 0 } } });
  await session.open(URI, NOTE);
  await session.diagnosticsFor(URI, 1);
});
after(() => session.kill());

function at(line: number, character: number) {
  return { textDocument: { uri: URI }, position: { line, character } };
}

test('hover on a TNM string shows its parts, assertion and source', async () => {
  const hover: Hover | null = await session.connection.sendRequest('textDocument/hover', at(2, 20));
  assert.ok(hover);
  const value = (hover.contents as MarkupContent).value;
  assert.match(value, /\*\*TNM\*\*: pT2 N1a M0/);
  assert.match(value, /Assertion: present/);
  assert.match(value, /Source: rules/);
  assert.deepEqual(hover.range, { start: { line: 2, character: 18 }, end: { line: 2, character: 28 } });
});

test('hover on a negated mention names the assertion and its trigger', async () => {
  const uri = 'file:///notes/negated.note';
  await session.open(uri, 'No lymphovascular invasion identified.\n');
  await session.diagnosticsFor(uri, 1);
  const hover: Hover | null = await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } });
  assert.ok(hover);
  assert.match((hover.contents as MarkupContent).value, /Assertion: negated — by “No”/);
});

test('hover away from any mention returns null', async () => {
  const hover: Hover | null = await session.connection.sendRequest('textDocument/hover', at(0, 2));
  assert.equal(hover, null);
});

test('inlay hints give normalized values that differ from the text', async () => {
  const hints: InlayHint[] = await session.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri: URI },
    range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
  });
  const size = hints.find((h) => h.position.line === 1 && h.label === '→ 23 mm');
  assert.ok(size, `a tumor size hint in ${JSON.stringify(hints)}`);
});

test('inlay hints can be turned off', async () => {
  const probe = await LspSession.start({ settings: { inlayHints: { enabled: false } } });
  try {
    await probe.open(URI, NOTE);
    const hints: InlayHint[] = await probe.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    });
    assert.deepEqual(hints, []);
  } finally {
    probe.kill();
  }
});

test('code lenses show the summary and the generation commands', async () => {
  const lenses: CodeLens[] = await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } });
  assert.deepEqual(
    lenses.map((l) => l.command?.command),
    ['cancerllm.showSummary', 'cancerllm.generateDiagnosis', 'cancerllm.generateTreatmentPlan'],
  );
  assert.equal(lenses[0]?.command?.title, '$(pulse) breast · IDC · pT2 N1a M0 · stage IIB · ER+ PR+ HER2−');
  assert.deepEqual(lenses[1]?.command?.arguments, [URI]);
});

test('sections make the outline, with synoptic fields inside their header', async () => {
  const symbols: DocumentSymbol[] = await session.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } });
  assert.deepEqual(
    symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
    [
      ['FINAL DIAGNOSIS', ['Left breast, lumpectomy', 'Pathologic stage']],
      ['SYNOPTIC SUMMARY', ['Margins', 'Lymphovascular invasion']],
    ],
  );
  assert.deepEqual(symbols[0]?.range, { start: { line: 0, character: 0 }, end: { line: 3, character: 46 } });
});

test('each multi-line section folds', async () => {
  const ranges: FoldingRange[] = await session.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: URI } });
  assert.deepEqual(
    ranges.map((r) => [r.startLine, r.endLine]),
    [
      [0, 3],
      [5, 7],
    ],
  );
});

test('semantic tokens cover mentions with their type from the legend', async () => {
  const legend = session.initializeResult?.capabilities.semanticTokensProvider?.legend;
  assert.ok(legend);
  const tokens: SemanticTokens = await session.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
  assert.equal(tokens.data.length % 5, 0);
  // Decode the relative encoding back to (line, char, length, type).
  let line = 0;
  let char = 0;
  const decoded: Array<[number, number, number, string]> = [];
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, length, type] = tokens.data.slice(i, i + 4) as [number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    decoded.push([line, char, length, legend.tokenTypes[type]!]);
  }
  assert.ok(decoded.some(([l, c, len, type]) => l === 2 && c === 18 && len === 10 && type === 'phenotypeTnm'), JSON.stringify(decoded));
});

test('the summary request returns the line and a row per phenotype type', async () => {
  const summary: { line: string; rows: Array<{ type: string; values: string[] }> } = await session.connection.sendRequest('cancerllm/summary', { uri: URI });
  assert.equal(summary.line, 'breast · IDC · pT2 N1a M0 · stage IIB · ER+ PR+ HER2−');
  assert.deepEqual(summary.rows.find((r) => r.type === 'tnm')?.values, ['TNM pT2 N1a M0']);
});

test('requests for a document that is not analysed answer empty, not with an error', async () => {
  await session.open('file:///notes/readme.md', '# pT2 N0', 'markdown');
  const lenses: CodeLens[] = await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: 'file:///notes/readme.md' } });
  assert.deepEqual(lenses, []);
  const summary: unknown = await session.connection.sendRequest('cancerllm/summary', { uri: 'file:///notes/unknown.note' });
  assert.equal(summary, null);
});
