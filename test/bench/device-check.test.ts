// The GPU device check (bench/gpu/device-check.ts) is one prepared run for a lent machine with little time, so it
// must work the first time there: here the whole procedure runs on CPU with a tiny model and short contexts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { deviceCheck, SHAPES } from '../../bench/gpu/device-check.ts';
import { GpuMemoryWatch } from '../../bench/gpu/gpu-memory.ts';
import { builtModel } from '../../bench/gpu/model-build.ts';

/** The check's options for a tiny model and short contexts, everything under `dir`. */
function tinyCheck(dir: string, ep: 'cpu' | 'cuda', weights: Array<'int4' | 'fp16'>) {
  return {
    out: join(dir, 'out'),
    shape: SHAPES.tiny ?? assert.fail(),
    ep,
    weights,
    work: join(dir, 'work'),
    contexts: { speed: 160, memory: 200 },
    print: () => {},
  };
}

test('the device check builds, loads and measures both weight kinds and writes its report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-check-'));
  try {
    const lines: string[] = [];
    const results = await deviceCheck({
      ...tinyCheck(dir, 'cpu', ['int4', 'fp16']),
      print: (line) => lines.push(line),
    });
    const written: unknown = JSON.parse(JSON.stringify(results)); // absent values (no nvidia-smi here) drop out
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out', 'device-check.json'), 'utf8')), written);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      written,
    );
    for (const weights of ['int4', 'fp16'] as const) {
      const rows = results.filter((r) => r.weights === weights);
      assert.deepEqual(
        rows.map((r) => r.what),
        [
          'build',
          'load decode loop',
          'decode loop, 64 tokens per run()',
          'decode loop, 16 tokens per run()',
          'decode loop, 1 token per run()',
          'decode loop, peak GPU memory (whole phase)',
          'step-by-step decoder, 1 token per run()',
          'batched rows (right-padded) against each prompt alone',
          'step-by-step decoder, peak GPU memory',
        ],
      );
      for (const r of rows) {
        assert.equal(r.provider, 'cpu');
        const rated = r.what.includes(' per run()');
        assert.equal(r.decodeMsPerToken !== undefined, rated, r.what);
        if (rated) assert.ok((r.decodeMsPerToken ?? 0) > 0 && Number.isFinite(r.decodeMsPerToken), r.what);
      }
      assert.equal(rows.find((r) => r.what.startsWith('step-by-step decoder, 1'))?.sameTokens, true);
      assert.equal(rows.find((r) => r.what.startsWith('batched rows'))?.sameTokens, true);
    }
    assert.equal(results.find((r) => r.weights === 'int4' && r.what.includes('peak GPU'))?.context, 200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('asked for CUDA, the check measures on CUDA or stops after the load and says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-check-cuda-'));
  try {
    const outcome = await deviceCheck(tinyCheck(dir, 'cuda', ['int4'])).then(
      (results) => ({ results }),
      (error: unknown) => ({ error }),
    );
    const written = JSON.parse(readFileSync(join(dir, 'out', 'device-check.json'), 'utf8')) as Array<{
      what: string;
      provider: string;
    }>;
    if ('results' in outcome) {
      // a machine with the CUDA provider installed: every row after the build ran there
      assert.ok(written.slice(1).every((r) => r.provider === 'cuda'));
      return;
    }
    // everywhere else (CI): onnxruntime fell back to the CPU, where a 7B model would outlast the device call
    assert.match(
      String(outcome.error),
      /^Error: asked for cuda, got cpu \(CUDA unavailable, running on CPU: .+\); stopped$/,
    );
    assert.deepEqual(
      written.map((r) => r.what),
      ['build', 'load decode loop'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bundled as prepare.sh bundles it, the check runs from node alone, as on the device', () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-check-bundle-'));
  try {
    const bundle = join(dir, 'device-check.cjs');
    buildSync({
      entryPoints: [new URL('../../bench/gpu/device-check.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['onnxruntime-node'],
      outfile: bundle,
      logLevel: 'error',
    });
    const out = join(dir, 'out');
    const args = ['--out', out, '--shape', 'tiny', '--ep', 'cpu', '--weights', 'int4', '--work', join(dir, 'work')];
    const run = spawnSync(process.execPath, [bundle, ...args, '--speed-context', '160', '--memory-context', '200'], {
      encoding: 'utf8',
      // on the device onnxruntime-node comes from the unpacked bundle through NODE_PATH, not from beside the script
      env: { ...process.env, NODE_PATH: new URL('../../node_modules', import.meta.url).pathname },
    });
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(readFileSync(join(out, 'device-check.json'), 'utf8')) as Array<{ what: string }>;
    assert.equal(results.length, 9);
    assert.equal(run.stdout.trim().split('\n').length, 9);

    // a mistyped argument is named, with the usage, before anything is built
    const wrong = spawnSync(process.execPath, [bundle, '--out', out, '--weights', 'fp32', '--layers', 'x'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: new URL('../../node_modules', import.meta.url).pathname },
    });
    assert.equal(wrong.status, 2);
    assert.match(
      wrong.stderr,
      /^--weights fp32 is not a list of int4 and fp16; --layers x is not a positive whole number\nusage: device-check/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a --build-only run builds the folder once; the measuring run reuses it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-check-prebuild-'));
  try {
    const options = tinyCheck(dir, 'cpu', ['fp16']);
    const prebuilt = await deviceCheck({ ...options, buildOnly: true });
    assert.deepEqual(
      prebuilt.map((r) => [r.what, r.note]),
      [['build', undefined]],
    );
    const measured = await deviceCheck(options);
    assert.equal(measured.length, 9);
    assert.match(measured[0]?.note ?? '', new RegExp(`^built by process ${process.pid}$`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a build another live process has under way is waited for, and a dead one is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-check-wait-'));
  try {
    const request = {
      outDir: join(dir, 'model'),
      source: { kind: 'random', shape: { ...(SHAPES.tiny ?? assert.fail()), numLayers: 1 }, seed: 1 },
      layout: 'genai',
      weights: 'fp32',
    } as const;
    // a process that holds the build marker for a second and then dies without finishing
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1000)']);
    writeFileSync(`${request.outDir}.building`, String(holder.pid));
    const told: string[] = [];
    const build = await builtModel(request, (line) => told.push(line));
    assert.ok(build.seconds >= 0.9, `waited ${build.seconds} s`);
    assert.deepEqual(told, [`waiting for the build of ${request.outDir} by process ${holder.pid}`]);
    assert.equal(build.note, undefined);
    assert.equal(readFileSync(`${request.outDir}.built`, 'utf8'), String(process.pid));
    assert.ok(existsSync(join(request.outDir, 'model.onnx')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the GPU memory watch keeps the first reading and the peak, and gives nothing without nvidia-smi', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-memory-'));
  const path = process.env.PATH;
  try {
    // a stand-in nvidia-smi whose memory.used rises by 100 MiB a call from 1000
    writeFileSync(
      join(dir, 'nvidia-smi'),
      `#!/bin/sh\nn=$(cat "${dir}/n" 2>/dev/null || echo 0)\necho $((n + 1)) > "${dir}/n"\necho $((1000 + n * 100))\n`,
      { mode: 0o755 },
    );
    process.env.PATH = `${dir}:${path ?? ''}`;
    const watch = new GpuMemoryWatch();
    watch.start();
    await new Promise((resolve) => setTimeout(resolve, 450));
    const memory = watch.stop() ?? assert.fail('no reading');
    const calls = Number(readFileSync(join(dir, 'n'), 'utf8'));
    assert.equal(memory.baselineMb, 1000);
    assert.ok(calls >= 2, `${calls} polls`);
    assert.ok(memory.peakMb >= 1100 && memory.peakMb <= 1000 + 100 * (calls - 1), `peak ${memory.peakMb}`);

    // a reading still under way when a phase stops does not land in the next phase
    writeFileSync(join(dir, 'nvidia-smi'), `#!/bin/sh\nv=$(cat "${dir}/value")\nsleep 0.3\necho "$v"\n`, {
      mode: 0o755,
    });
    writeFileSync(join(dir, 'value'), '20000');
    watch.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    watch.stop();
    writeFileSync(join(dir, 'value'), '500');
    watch.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.deepEqual(watch.stop(), { peakMb: 500, baselineMb: 500 });

    process.env.PATH = join(dir, 'none');
    watch.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(watch.stop(), undefined);
  } finally {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  }
});
