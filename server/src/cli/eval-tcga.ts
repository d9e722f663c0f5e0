// `cancerllm eval-tcga`: placeholder until its evaluation is written.
export function runEvalTcga(_argv: readonly string[]): number {
  process.stderr.write('cancerllm eval-tcga: not written yet\n');
  return 2;
}
