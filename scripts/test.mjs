// Runs the test suites with Node's built-in runner (TypeScript through tsx).
// `node scripts/test.mjs` runs everything; `node scripts/test.mjs unit` only the fast in-process tests.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv[2];

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found.sort();
}

const totals = { passed: 0, failed: 0 };

/** Runs one step with its output passed through; counts tests from node:test's "# pass/# fail" lines and from a
 * closing "N passed, N failed" line, so the run ends with one total. */
function run(label, command, args) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  const output = result.stdout?.toString() ?? '';
  process.stdout.write(output);
  totals.passed += count(output, /^# pass (\d+)$/m) + count(output, /^(\d+) passed, \d+ failed$/m);
  totals.failed += count(output, /^# fail (\d+)$/m) + count(output, /^\d+ passed, (\d+) failed$/m);
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`);
    console.log(`total: ${totals.passed} passed, ${Math.max(1, totals.failed)} failed`);
    process.exit(result.status ?? 1);
  }
}

function count(output, pattern) {
  const match = pattern.exec(output);
  return match ? Number(match[1]) : 0;
}

const unit = ['protocol', 'engine', 'model-runtime', 'server', 'client'].flatMap((pkg) => {
  try {
    return findTests(join(root, pkg, 'test'));
  } catch {
    return []; // a package without tests yet
  }
});
const crossPackage = findTests(join(root, 'test')).filter((f) => !f.startsWith('test/e2e/'));

if (only === 'unit') {
  run('unit tests', process.execPath, ['--import', 'tsx', '--test', ...unit]);
} else {
  run('build', process.execPath, ['scripts/build.mjs']);
  run('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '.']);
  run('grammar tests', process.execPath, ['scripts/test-grammar.mjs']);
  run('unit and protocol tests', process.execPath, ['--import', 'tsx', '--test', ...unit, ...crossPackage]);
  run('real-editor tests (test/e2e)', process.execPath, ['scripts/test-e2e.mjs']);
  console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed`);
}
