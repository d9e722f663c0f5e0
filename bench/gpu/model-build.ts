// The device check's model folders, built once per machine. Building a random 7B folder takes minutes of
// single-threaded JavaScript, so a `--build-only` run started in the background (bench/gpu/on-device.sh, PREBUILD)
// builds the next weight kind while the GPU measures this one; the run that measures it then waits for that
// build instead of starting its own. Markers beside the folder say how far a build got.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildModel, type BuildModelRequest } from '@cancerllm/model-runtime';

export interface ModelBuild {
  /** Seconds this process spent building or waiting for another process's build. */
  seconds: number;
  note?: string;
}

const POLL_MS = 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function buildingPid(marker: string): number | undefined {
  try {
    const pid = Number(readFileSync(marker, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Builds `request.outDir` unless it was built before or another live process is building it (then waits). */
export async function builtModel(request: BuildModelRequest): Promise<ModelBuild> {
  const dir = request.outDir;
  const done = `${dir}.built`;
  const building = `${dir}.building`;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  for (let pid = buildingPid(building); pid !== undefined && alive(pid); pid = buildingPid(building)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (existsSync(done)) return { seconds: seconds(), note: `built by process ${readFileSync(done, 'utf8')}` };
  mkdirSync(dirname(dir), { recursive: true });
  writeFileSync(building, String(process.pid));
  try {
    const built = buildModel(request);
    if (!built.ok) throw new Error(built.message);
  } finally {
    rmSync(building, { force: true });
  }
  writeFileSync(done, String(process.pid));
  return { seconds: seconds() };
}
