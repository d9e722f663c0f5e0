// Bundles the real-editor tests with esbuild into out/e2e/ (CommonJS, .cjs because test/ is an ES module package):
// the mocha suite the extension host loads (suite/*.cjs, `vscode` and mocha external), the @vscode/test-electron
// runner, the code-server stand-in executable, and the UI test.
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const root = new URL('../..', import.meta.url).pathname;
const source = join(root, 'test/e2e');
const out = join(root, 'out/e2e');

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  sourcemap: 'inline',
  logLevel: 'warning',
  // Resolved at run time from the repository's node_modules (out/ is inside it); vscode is the extension host's.
  external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
};

const testsIn = (folder: string) =>
  readdirSync(join(source, folder))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(source, folder, name));

rmSync(out, { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: [join(source, 'suite/index.ts'), ...testsIn('suite')], outdir: join(out, 'suite') }),
  build({ ...common, entryPoints: [join(source, 'run-suite.ts'), ...testsIn('ui')], outdir: out }),
  build({
    ...common,
    entryPoints: [join(source, 'code-server-stand-in.ts')],
    outdir: out,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
// @vscode/test-electron spawns the stand-in as an executable.
chmodSync(join(out, 'code-server-stand-in.cjs'), 0o755);
console.log('built out/e2e/ (integration suite, runner, code-server stand-in, UI test)');
