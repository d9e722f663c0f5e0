// Makes the platform-specific .vsix (linux-x64): production bundles, onnxruntime-node's linux-x64 runtime staged
// beside them in dist/node_modules (the bundles keep it external), then @vscode/vsce, offline. Prints the size.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = 'linux-x64';
const out = join(root, `${manifest.name}-${target}-${manifest.version}.vsix`);

execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
stageOnnxRuntime();
execFileSync(process.execPath, [join(root, 'scripts/third-party-notices.mjs')], { cwd: root, stdio: 'inherit' });

rmSync(out, { force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--target', target, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out],
  { cwd: root, stdio: 'inherit' },
);
const megabytes = (statSync(out).size / 1024 / 1024).toFixed(1);
console.log(`packaged ${out.slice(root.length)} (${megabytes} MB)`);

/** Copies only what onnxruntime-node needs at run time on linux-x64: its JS, its package.json and the native files. */
function stageOnnxRuntime() {
  const staged = join(root, 'dist/node_modules');
  rmSync(staged, { recursive: true, force: true });
  const copy = (pkg, paths) => {
    const from = join(root, 'node_modules', pkg);
    if (!existsSync(from)) throw new Error(`${pkg} is not installed; run "npm ci" first`);
    for (const path of paths) {
      mkdirSync(join(staged, pkg), { recursive: true });
      cpSync(join(from, path), join(staged, pkg, path), { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') });
    }
  };
  copy('onnxruntime-node', ['package.json', 'LICENSE', 'dist', `bin/napi-v6/linux/x64`].filter((p) => existsSync(join(root, 'node_modules/onnxruntime-node', p))));
  copy('onnxruntime-common', ['package.json', 'dist/cjs'].concat(existsSync(join(root, 'node_modules/onnxruntime-common/LICENSE')) ? ['LICENSE'] : []));
}
