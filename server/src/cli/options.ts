// Parses one subcommand's options with node:util, turning parse errors into usage messages.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function parseCommandOptions(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): { ok: true; values: Record<string, string | boolean | undefined>; positionals: string[] } | { ok: false; message: string } {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { ok: true, values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export const BACKENDS = ['rules', 'onnx', 'remote'] as const;

/**
 * Checks --backend. `allowModels`: the command can run onnx and remote models (annotate); the others run the rule
 * engine only and say so.
 */
export function checkBackend(value: string | boolean | undefined, allowModels = false): string | undefined {
  const backend = typeof value === 'string' ? value : 'rules';
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    return `unknown backend "${backend}" (expected one of: ${BACKENDS.join(', ')})`;
  }
  if (backend !== 'rules' && !allowModels) {
    return `backend "${backend}" is not available for this command yet; use --backend rules`;
  }
  return undefined;
}

/** A whole input file as text, or a message naming the file and the system's reason (ENOENT, EACCES, ...). */
export function readInputFile(file: string): { ok: true; content: string } | { ok: false; message: string } {
  try {
    return { ok: true, content: readFileSync(file, 'utf8') };
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'unreadable';
    return { ok: false, message: `cannot read ${file} (${reason})` };
  }
}
