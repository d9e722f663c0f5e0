// The device check's model folders, built once per machine. Building a random 7B folder takes minutes of
// single-threaded JavaScript, so a `--build-only` run started in the background (bench/gpu/on-device.sh, PREBUILD)
// builds the next weight kind while the GPU measures this one; the run that measures it then waits for that
// build instead of starting its own. Markers beside the folder say how far a build got: `.building` (claimed
// atomically, holding the builder's process id) and then `.built`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildModel, type BuildModelRequest } from '@cancerllm/model-runtime';

export interface ModelBuild {
  /** Seconds this process spent building or waiting for another process's build. */
  seconds: number;
  note?: string;
}

const POLL_MS = 1000;

/** Whether a process runs: a zombie (killed, not yet reaped under setsid) builds nothing any more. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (name) state ..."; the name may hold spaces, the state follows its last ")"
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: kill(0) is all there is
  }
}

function builderOf(marker: string): number | undefined {
  try {
    const pid = Number(readFileSync(marker, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Claims the build: true when this process created the marker, false when another process holds it. */
function claim(marker: string): boolean {
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Builds `request.outDir` unless it was built before; while another live process builds it, waits (`log` is told
 * once). A marker left by a dead builder is taken over.
 */
export async function builtModel(
  request: BuildModelRequest,
  log: (line: string) => void = (line) => console.error(line),
): Promise<ModelBuild> {
  const dir = request.outDir;
  const done = `${dir}.built`;
  const building = `${dir}.building`;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  mkdirSync(dirname(dir), { recursive: true });
  let told = false;
  for (;;) {
    if (existsSync(done)) return { seconds: seconds(), note: `built by process ${readFileSync(done, 'utf8')}` };
    if (claim(building)) break;
    const builder = builderOf(building);
    if (builder !== undefined && running(builder)) {
      if (!told) log(`waiting for the build of ${dir} by process ${builder}`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    // its builder died: the folder may be half written, and buildModel writes it anew. Removed only while it
    // still names that builder, so that a claim another waiter just made stands.
    if (builderOf(building) === builder) rmSync(building, { force: true });
  }
  try {
    const built = buildModel(request);
    if (!built.ok) throw new Error(built.message);
    // before the claim goes: a process polling in between sees the folder as built, not as free to build
    writeFileSync(done, String(process.pid));
  } finally {
    rmSync(building, { force: true });
  }
  return { seconds: seconds() };
}
