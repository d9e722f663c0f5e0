// Bundles the extension client, the language server and the command line with esbuild.
// onnxruntime-node stays external: its native binaries ship beside the bundles (see scripts/package.mjs).
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const production = process.argv.includes('--production');

// vega-canvas's Node build top-level-awaits the optional native `canvas` package, which a CommonJS bundle cannot
// hold; plots render to SVG without a canvas, so the bundles take its browser build (canvas: null outside a DOM).
const vegaWithoutNativeCanvas = {
  name: 'vega-without-native-canvas',
  setup(build) {
    build.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: new URL('../node_modules/vega-canvas/build/vega-canvas.browser.js', import.meta.url).pathname }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
  // model-runtime reads import.meta.url only where it has a CommonJS answer (__filename, or the bundled worker's
  // URL passed in, else a clear error), so esbuild's warning that it is empty in these bundles is noise.
  logOverride: { 'empty-import-meta': 'silent' },
  external: ['onnxruntime-node', '@resvg/resvg-js'],
  metafile: true,
  plugins: [vegaWithoutNativeCanvas],
};

const results = await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', 'onnxruntime-node', '@resvg/resvg-js'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/analysis-worker.ts'], outfile: 'dist/analysis-worker.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The model worker uses top-level await, so it is an ES module; bundled CommonJS code inside it gets a require.
  build({
    ...common,
    entryPoints: ['model-runtime/src/worker/generation-worker.ts'],
    outfile: 'dist/llm-worker.mjs',
    format: 'esm',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
]);
// The packages inside the bundles, for the third-party notices shipped in the .vsix.
const bundled = new Set();
for (const { metafile } of results) {
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) bundled.add(match[1]);
  }
}
writeFileSync('dist/bundled-packages.json', `${JSON.stringify([...bundled].sort(), null, 2)}\n`);
console.log(`built dist/client.js, dist/server.js, dist/analysis-worker.js, dist/llm-worker.mjs, dist/cli.js${production ? ' (production)' : ''}`);
