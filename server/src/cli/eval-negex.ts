// `cancerllm eval-negex`: placeholder until its evaluation is written.
export function runEvalNegex(_argv: readonly string[]): number {
  process.stderr.write('cancerllm eval-negex: not written yet\n');
  return 2;
}
