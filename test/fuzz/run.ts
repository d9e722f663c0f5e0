// `npm run fuzz [cases] [seed]`: the long fuzz run (default 100,000 engine cases and 20,000 LSP messages).
import { fuzzEngine } from './fuzz-engine.ts';
import { fuzzLsp } from './fuzz-lsp.ts';

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const started = performance.now();
const engine = fuzzEngine(cases, seed);
const engineSeconds = (performance.now() - started) / 1000;
const lspStarted = performance.now();
const lsp = await fuzzLsp(Math.ceil(cases / 5), seed);
const lspSeconds = (performance.now() - lspStarted) / 1000;
console.log(`engine: ${cases} cases in ${engineSeconds.toFixed(1)} s, ${engine.length} failure(s)`);
console.log(`lsp:    ${Math.ceil(cases / 5)} messages in ${lspSeconds.toFixed(1)} s, ${lsp.length} failure(s)`);
for (const failure of [...engine, ...lsp]) console.log(`  seed ${failure.seed} case ${failure.case}: ${failure.problem}`);
console.log(`seed ${seed}: rerun with npm run fuzz -- ${cases} ${seed}`);
process.exitCode = engine.length + lsp.length > 0 ? 1 : 0;
