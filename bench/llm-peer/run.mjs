// One benchmark run of @huggingface/transformers (CPU, local files only, no network) on a model folder.
// Prints one JSON line: prefill and decode timings, peak RSS and the greedy tokens, for bench/llm.bench.ts.
// Usage: node bench/llm-peer/run.mjs <model-dir> <prompt-length> <new-tokens>
import { readFileSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { AutoModelForCausalLM, Tensor, env } from '@huggingface/transformers';

const [dir, promptArg = '256', newArg = '32'] = process.argv.slice(2);
const promptLength = Number(promptArg);
const newTokens = Number(newArg);
globalThis.fetch = () => Promise.reject(new Error('network disabled in the benchmark'));
env.allowRemoteModels = false;
env.localModelPath = `${dirname(dir)}/`;

const loadStart = performance.now();
const model = await AutoModelForCausalLM.from_pretrained(basename(dir), {
  device: 'cpu',
  dtype: 'fp32',
  local_files_only: true,
});
const loadMs = performance.now() - loadStart;
const vocab = model.config.vocab_size;
const ids = Array.from({ length: promptLength }, (_, i) => BigInt(5 + ((i * 7919) % (vocab - 5))));
const input_ids = new Tensor('int64', BigInt64Array.from(ids), [1, promptLength]);
const attention_mask = new Tensor('int64', new BigInt64Array(promptLength).fill(1n), [1, promptLength]);
const run = async (n) => {
  const t = performance.now();
  const out = await model.generate({
    input_ids,
    attention_mask,
    max_new_tokens: n,
    min_new_tokens: n,
    do_sample: false,
    eos_token_id: -1,
  });
  return { ms: performance.now() - t, tokens: Array.from(out.data.slice(promptLength), Number) };
};
await run(2); // warm-up
// prefill (1 new token) and a full run back to back, so both see the same machine load; medians over 5 pairs
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const pairs = [];
for (let i = 0; i < 5; i++) pairs.push({ prefill: await run(1), full: await run(newTokens) });
const prefillMs = median(pairs.map((p) => p.prefill.ms));
const decodeMsPerToken = median(pairs.map((p) => (p.full.ms - p.prefill.ms) / (newTokens - 1)));
/** Peak resident memory of this process image (VmHWM does not carry over across exec, unlike maxRSS). */
const peakRssMb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
console.log(
  JSON.stringify({
    loadMs,
    prefillMs,
    decodeMsPerToken,
    peakRssMb,
    tokens: pairs[0].full.tokens,
  }),
);
