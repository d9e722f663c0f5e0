// The output manifest of a batch run (`<out>/.cancerllm-manifest.jsonl`): one line per note whose outputs were all
// written, so a re-run skips it. A note that was being written when a run stopped has no line and is redone; a
// torn last line is ignored.
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST_NAME = '.cancerllm-manifest.jsonl';

export interface ManifestEntry {
  file: string;
  size: number;
  mtimeMs: number;
  format: string;
  outputs: string[];
}

export class Manifest {
  private readonly entries = new Map<string, ManifestEntry>();
  readonly path: string;

  constructor(outDir: string) {
    this.path = join(outDir, MANIFEST_NAME);
    if (!existsSync(this.path)) return;
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      try {
        const entry = JSON.parse(line) as ManifestEntry;
        if (typeof entry.file === 'string' && Array.isArray(entry.outputs)) this.entries.set(entry.file, entry);
      } catch {
        // a line torn by an interrupted run: that note is simply redone
      }
    }
  }

  /** True when the note is unchanged since it was done, in the same format, and its outputs still exist. */
  isDone(file: string, format: string): boolean {
    const entry = this.entries.get(file);
    if (!entry || entry.format !== format) return false;
    try {
      const stat = statSync(file);
      if (stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs) return false;
    } catch {
      return false;
    }
    return entry.outputs.every((output) => existsSync(output));
  }

  record(file: string, format: string, outputs: string[]): void {
    const stat = statSync(file);
    const entry: ManifestEntry = { file, size: stat.size, mtimeMs: stat.mtimeMs, format, outputs };
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
    this.entries.set(file, entry);
  }

  outputsOf(file: string): string[] {
    return this.entries.get(file)?.outputs ?? [];
  }
}
