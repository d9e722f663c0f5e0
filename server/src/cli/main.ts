// The `cancerllm` command line (contract: ../shared/spec/phenotypes.md, "Command-line contract").
// Exit status: 0 when the work ran, 2 on bad input or usage, 1 on an unexpected failure.
import { runAnnotate } from './annotate.ts';
import { runBuildModel } from './build-model.ts';
import { runEval } from './eval.ts';
import { runEvalNegex } from './eval-negex.ts';
import { runEvalTcga } from './eval-tcga.ts';
import { GENERATE_USAGE, runGenerate } from './generate.ts';
import { runRobustness } from './robustness.ts';

const USAGE = `usage: cancerllm <command> [options]

commands:
  annotate <file|dir>... [--format jsonl|brat|fhir] [--backend rules|onnx|remote] [--out DIR]
      Finds phenotype mentions (curation sidecars applied); prints one JSON line per note:
      {"file": ..., "mentions": [...]}. --format brat or fhir (or jsonl with --out) writes files into DIR.
      --backend onnx|remote takes the model options of generate (below).
  ${GENERATE_USAGE}
  eval <gold-dir> [--backend rules|onnx|remote + model options] [--json] [--generated FILE.jsonl] [--report FILE.html]
      Scores the backend against gold files and prints a table (or one JSON object with --json).
      --generated FILE.jsonl also scores generated texts ({"id", "diagnosis"?, "treatment_plan"?} lines) against
      the gold references: Exact Match, BLEU-2, ROUGE-L and their average.
  eval --pairs FILE.jsonl [--json]
      Scores {"prediction", "reference"} pairs with the same measures.
  eval-negex <rsAnnotations.txt> [--json]
      Scores the assertion algorithm on the NegEx/ConText sentence set.
  eval-tcga <T14_test.csv> [--json]
      Measures how often a pathologic T is found in TCGA reports, and how often it is right.
  robustness <gold-dir> [--backend rules|onnx|remote + model options] [--seed N] [--rates 0,0.2,...] [--out DIR] [--json] [--report FILE.html]
      F1 under misspelling and counterfactual perturbation at rates 0-80%; writes robustness.svg/.png/.json.
  build-model --out DIR (--checkpoint DIR | --random [--layers N --hidden N ...]) [--layout genai|optimum] [--dtype fp32|fp16|int4]
      Writes a Mistral-architecture ONNX model folder from a Hugging Face checkpoint or random weights.
  help
      Prints this text.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'annotate':
      return runAnnotate(rest);
    case 'eval':
      return runEval(rest);
    case 'generate':
      return runGenerate(rest);
    case 'eval-negex':
      return runEvalNegex(rest);
    case 'eval-tcga':
      return runEvalTcga(rest);
    case 'robustness':
      return runRobustness(rest);
    case 'build-model':
      return runBuildModel(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`${command ? `cancerllm: unknown command "${command}"` : 'cancerllm: no command given'}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cancerllm: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
