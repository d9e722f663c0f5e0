// The .vsix holds exactly what users need: bundles, the linux-x64 ONNX Runtime, grammar, docs. No sources, tests,
// source maps or other platforms' binaries. Checked on `vsce ls`, which lists what `vsce package` would include.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^ThirdPartyNotices\.txt$/,
  /^language-configuration\.json$/,
  /^prompts\/[\w.@-]+\.(json|jinja)$/,
  /^syntaxes\/clinical-note\.tmLanguage\.json$/,
  /^docs\/images\/[\w-]+\.png$/,
  /^dist\/(client|server|analysis-worker|cli)\.js$/,
  /^dist\/llm-worker\.mjs$/,
  /^dist\/node_modules\/onnxruntime-(node|common)\/package\.json$/,
  /^dist\/node_modules\/onnxruntime-node\/dist\/[\w-]+\.js$/,
  /^dist\/node_modules\/onnxruntime-common\/dist\/cjs\/[\w-]+\.(js|json)$/,
  /^dist\/node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64\/(libonnxruntime\.so\.1|onnxruntime_binding\.node)$/,
];

test('vsce lists only intended files, including every bundle and the grammar', () => {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const files = result.stdout.trim().split('\n').map((line) => line.trim());
  const unexpected = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
  assert.deepEqual(unexpected, []);
  for (const required of ['package.json', 'README.md', 'dist/client.js', 'dist/server.js', 'dist/analysis-worker.js', 'dist/llm-worker.mjs', 'dist/cli.js', 'syntaxes/clinical-note.tmLanguage.json', 'language-configuration.json']) {
    assert.ok(files.includes(required), `${required} is packaged`);
  }
});
