// Runs the real-editor tests (test/e2e/, see its README): the @vscode/test-electron integration suite in code-server,
// then the UI test of the packaged .vsix in code-server + headless Chromium. Needs `bash scripts/setup-e2e.sh` once.
// Packages the .vsix first when it is missing or older than its sources. Screenshots and results go to
// test-artifacts/e2e/. Exits non-zero on any failure; the last line is "N passed, N failed".
// CANCERLLM_E2E=skip skips everything (for machines that cannot run a browser); it says so.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const artifacts = join(root, 'test-artifacts/e2e');
const vsix = join(root, 'cancerllm-notes-linux-x64-0.1.0.vsix');
const codeServer = process.env.CODE_SERVER_BIN ?? join(root, 'test/e2e/.tools/node_modules/.bin/code-server');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// What the .vsix is made of: when any of these is newer than the .vsix, it is packaged again.
const VSIX_SOURCES = [
  'package.json',
  '.vscodeignore',
  'language-configuration.json',
  'syntaxes',
  'scripts/build.mjs',
  'scripts/package.mjs',
  'protocol/src',
  'engine/src',
  'model-runtime/src',
  'server/src',
  'client/src',
];

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const totals = { passed: 0, failed: 0 };
let interrupted = false;

// Test processes record their code-server process groups and sandbox folders here (test/e2e/lib/leftovers.ts), so
// that what a killed test process could not clean up is cleaned up after each step.
const leftovers = mkdtempSync(join(tmpdir(), 'cancerllm-e2e-leftovers-'));
const testEnv = { ...process.env, CANCERLLM_E2E_LEFTOVERS: leftovers };

function reapLeftovers() {
  for (const name of readdirSync(leftovers)) {
    const value = readLeftover(join(leftovers, name));
    if (value === undefined) continue; // its process cleaned it up meanwhile
    if (name.startsWith('group-')) {
      try {
        process.kill(-Number(value), 'SIGKILL');
        console.error(`  e2e: stopped a code-server left running (process group ${value})`);
      } catch (error) {
        if (error.code !== 'ESRCH') throw error; // ESRCH: it had ended
      }
    } else if (name.startsWith('folder-')) {
      rmSync(value, { recursive: true, force: true });
    }
    rmSync(join(leftovers, name), { force: true });
  }
}

function readLeftover(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function finish() {
  reapLeftovers();
  rmSync(leftovers, { recursive: true, force: true });
  console.log(`\ne2e: ${seconds(started)} in all; screenshots and results in test-artifacts/e2e/`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

function fail(message) {
  console.error(`✖ e2e: ${message}`);
  totals.failed += 1;
}

/** Runs a command in its own process group; on timeout the whole group gets SIGTERM, then SIGKILL. */
function run(label, command, args, { timeoutMs, env = testEnv }) {
  console.log(`\n▶ ${label}`);
  const begun = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit', detached: true });
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        if (error.code !== 'ESRCH') throw error; // ESRCH: already gone
      }
    };
    const timer = setTimeout(() => {
      console.error(`✖ ${label}: no result after ${timeoutMs / 1000} s; stopping it`);
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    // Interrupted (Ctrl+C, a CI timeout): pass it on to the group, which cleans up, then stop here.
    const forward = (signal) => {
      interrupted = true;
      kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      console.log(`  ${label}: exit ${code ?? signal} after ${seconds(begun)}`);
      reapLeftovers();
      if (interrupted) {
        fail(`interrupted during ${label}`);
        finish();
      }
      resolve(code ?? 1);
    });
  });
}

function newestMtime(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(full)
      .filter((name) => name !== 'node_modules')
      .map((name) => newestMtime(join(path, name))),
  );
}

if (process.env.CANCERLLM_E2E === 'skip') {
  console.log('e2e: skipped (CANCERLLM_E2E=skip)');
  finish();
}
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const missing = [codeServer, chromium].filter((path) => !existsSync(path));
if (missing.length > 0) {
  fail(`missing ${missing.join(', ')}: run \`bash scripts/setup-e2e.sh\` first (or set CANCERLLM_E2E=skip)`);
  finish();
}

if (!existsSync(vsix) || statSync(vsix).mtimeMs < Math.max(...VSIX_SOURCES.map(newestMtime))) {
  if (
    (await run('package the .vsix (missing or older than its sources)', process.execPath, ['scripts/package.mjs'], {
      timeoutMs: 300_000,
    })) !== 0
  )
    fail('npm run package failed');
}
if (
  !existsSync(join(root, 'dist/client.js')) &&
  (await run('build', process.execPath, ['scripts/build.mjs'], { timeoutMs: 120_000 })) !== 0
)
  fail('build failed');
if (
  (await run('bundle the e2e tests', process.execPath, ['--import', 'tsx', 'test/e2e/build.ts'], {
    timeoutMs: 60_000,
  })) !== 0
)
  fail('bundling test/e2e failed');
if (totals.failed > 0) finish();

// 1. The integration suite: @vscode/test-electron runTests() with the code-server stand-in.
const suiteResult = join(artifacts, 'suite-result.json');
const suiteExit = await run(
  'integration suite (@vscode/test-electron, vscode API, in code-server)',
  process.execPath,
  ['out/e2e/run-suite.cjs'],
  {
    timeoutMs: 300_000,
    env: { ...testEnv, CANCERLLM_E2E_RESULT: suiteResult },
  },
);
if (existsSync(suiteResult)) {
  const { passed, failed } = JSON.parse(readFileSync(suiteResult, 'utf8'));
  totals.passed += passed;
  totals.failed += failed;
  if (suiteExit !== 0 && failed === 0) fail(`the integration suite exited with ${suiteExit} although its tests passed`);
} else {
  fail(`the integration suite reported no result (exit ${suiteExit}); see the output above`);
}

// 2. The UI test of the packaged .vsix.
const uiTap = join(artifacts, 'ui-results.tap');
const uiExit = await run(
  'UI test (packaged .vsix in code-server + Chromium)',
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${uiTap}`,
    'out/e2e/ui/editor.test.cjs',
  ],
  { timeoutMs: 300_000 },
);
const tap = existsSync(uiTap) ? readFileSync(uiTap, 'utf8') : '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? NaN);
if (Number.isNaN(count('pass'))) {
  fail(`the UI test reported no result (exit ${uiExit}); see the output above`);
} else {
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  if (uiExit !== 0 && count('fail') + count('cancelled') === 0)
    fail(`the UI test exited with ${uiExit} although its tests passed`);
}
finish();
