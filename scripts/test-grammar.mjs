// Runs the TextMate grammar tests (test/grammar/*.test.note) with vscode-tmgrammar-test against
// syntaxes/clinical-note.tmLanguage.json; exits non-zero when an assertion fails or no fixture is found.
// Extra arguments are passed to the tool (e.g. `node scripts/test-grammar.mjs --compact`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const grammar = 'syntaxes/clinical-note.tmLanguage.json';
const fixtures = 'test/grammar/*.test.note';

const require = createRequire(import.meta.url);
const toolManifest = require.resolve('vscode-tmgrammar-test/package.json');
const { bin } = require(toolManifest);
const cli = join(dirname(toolManifest), bin['vscode-tmgrammar-test']);

const found = readdirSync(join(root, 'test/grammar')).filter((name) => name.endsWith('.test.note'));
if (found.length === 0) {
  console.error(`No grammar fixtures match ${fixtures}.`);
  process.exit(1);
}
console.log(`Grammar tests: ${found.length} fixture(s) against ${grammar}`);

// The tool expands the glob itself; package.json (the cwd's) also declares the grammar, which is the same file.
const result = spawnSync(process.execPath, [cli, '--grammar', grammar, ...process.argv.slice(2), fixtures], {
  cwd: root,
  stdio: 'inherit',
});
if (result.error) {
  console.error(`Could not run vscode-tmgrammar-test: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`Grammar tests failed (vscode-tmgrammar-test exited ${result.status ?? result.signal}).`);
  process.exit(1);
}
