// Writes a file so that readers see the old content or the new, never a part: write a temporary file beside it,
// flush it to disk, then rename over the target. On any failure the temporary file is removed and the target is
// untouched; the error says which file could not be written and why (e.g. the disk is full).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class FileWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`could not write ${path}: ${reason}`);
    this.name = 'FileWriteError';
  }
}

/** Makes temporary names unique within this process, so two writes of one file never share a temporary. */
let temporaryCounter = 0;

/** Opens the temporary file; tests substitute a device that fails writes the way a full disk does. */
export type OpenTemporary = (temporaryPath: string) => number;

// 0o666 before the umask, as for any file a user writes; sidecars and exports live beside the notes they came from.
const openExclusive: OpenTemporary = (temporaryPath) => openSync(temporaryPath, 'wx', 0o666);

export function writeFileAtomic(path: string, content: string | Uint8Array, openTemporary: OpenTemporary = openExclusive): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${(temporaryCounter++).toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openTemporary(temporary);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : error instanceof Error ? error.message : String(error);
    throw new FileWriteError(path, reason);
  }
}
