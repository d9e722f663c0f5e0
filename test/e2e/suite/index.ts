// Entry point the extension host loads (extensionTestsPath): runs every *.test.cjs beside this file with mocha (TDD
// interface), prints "N passed, N failed", and writes the counts to $CANCERLLM_E2E_RESULT when set.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface SuiteResult {
  passed: number;
  failed: number;
  failures: Array<{ title: string; message: string }>;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  for (const file of readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.cjs'))
    .sort())
    mocha.addFile(join(__dirname, file));
  const result: SuiteResult = { passed: 0, failed: 0, failures: [] };
  await new Promise<void>((resolve) => {
    mocha
      .run(() => resolve())
      .on('pass', () => (result.passed += 1))
      .on('fail', (test, error: Error) => {
        result.failed += 1;
        result.failures.push({ title: test.fullTitle(), message: error.message });
      });
  });
  console.log(`${result.passed} passed, ${result.failed} failed`);
  const resultFile = process.env.CANCERLLM_E2E_RESULT;
  if (resultFile) writeFileSync(resultFile, JSON.stringify(result, null, 2));
  if (result.failed > 0 || result.passed === 0)
    throw new Error(`${result.failed} of ${result.passed + result.failed} integration tests failed`);
}
