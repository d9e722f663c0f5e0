// Reads and writes curation sidecars for notes on disk. The store re-reads a sidecar whenever its modification
// time changes (it may be edited by hand), refuses to write over one it cannot parse, and writes atomically.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { makeAnchor } from './anchor.ts';
import { mergeDecisions, type MergeResult } from './merge.ts';
import {
  emptySidecar,
  parseSidecar,
  serializeSidecar,
  sidecarPathFor,
  type CurationAction,
  type CuratedMention,
  type CurationDecision,
  type Sidecar,
} from './sidecar.ts';
import type { PhenotypeType } from '@cancerllm/protocol';

export type SidecarLoad = { ok: true; sidecar: Sidecar } | { ok: false; message: string };

export interface DecisionRequest {
  action: CurationAction;
  start: number;
  end: number;
  foundType?: PhenotypeType;
  mention?: CuratedMention;
}

interface CacheEntry {
  mtimeMs: number;
  load: SidecarLoad;
}

export class CurationStore {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly writeFile: (path: string, content: string) => void = writeFileAtomic,
  ) {}

  /** The note's sidecar: empty when there is none, or a message when it exists but cannot be used. */
  load(notePath: string): SidecarLoad {
    const path = sidecarPathFor(notePath);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, sidecar: emptySidecar(basename(notePath)) };
      return { ok: false, message: `the curation file ${path} cannot be read (${describe(error)})` };
    }
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === mtimeMs) return cached.load;
    let load: SidecarLoad;
    try {
      const parsed = parseSidecar(readFileSync(path, 'utf8'));
      load = typeof parsed === 'string' ? { ok: false, message: `the curation file ${path} is not usable: ${parsed}` } : { ok: true, sidecar: parsed };
    } catch (error) {
      load = { ok: false, message: `the curation file ${path} cannot be read (${describe(error)})` };
    }
    this.cache.set(path, { mtimeMs, load });
    return load;
  }

  /** Applies the note's decisions to what the analyzer found; no sidecar or an unusable one changes nothing. */
  merge(notePath: string, text: string, found: readonly AnnotatedMention[]): MergeResult & { problem?: string } {
    const load = this.load(notePath);
    if (!load.ok) return { mentions: [...found], decisions: [], orphans: [], problem: load.message };
    return mergeDecisions(text, found, load.sidecar.decisions);
  }

  /**
   * Records a decision about the span [start, end) of the note's current text, replacing an earlier decision on the
   * same span and type, and writes the sidecar atomically. Throws FileWriteError when it cannot be written.
   */
  record(notePath: string, text: string, request: DecisionRequest): { ok: true; decision: CurationDecision } | { ok: false; message: string } {
    const load = this.load(notePath);
    if (!load.ok) return { ok: false, message: `${load.message}. It was left untouched; fix or remove it, then curate again.` };
    const { decisions } = mergeDecisions(text, [], load.sidecar.decisions);
    const targetType = request.foundType ?? request.mention?.type;
    const kept = decisions.filter(
      (d) => !(d.anchor.start === request.start && d.anchor.end === request.end && (d.foundType ?? d.mention?.type) === targetType),
    );
    const decision: CurationDecision = {
      id: randomUUID(),
      action: request.action,
      anchor: makeAnchor(text, request.start, request.end),
      ...(request.foundType ? { foundType: request.foundType } : {}),
      ...(request.mention ? { mention: request.mention } : {}),
      decidedAt: this.now().toISOString(),
    };
    const sidecar: Sidecar = { ...load.sidecar, decisions: [...kept, decision] };
    this.write(notePath, sidecar);
    return { ok: true, decision };
  }

  /** Rewrites the sidecar with anchors moved to the note's saved text, when any moved. */
  saveAnchors(notePath: string, text: string): void {
    const load = this.load(notePath);
    if (!load.ok || load.sidecar.decisions.length === 0) return;
    const { decisions } = mergeDecisions(text, [], load.sidecar.decisions);
    if (JSON.stringify(decisions) === JSON.stringify(load.sidecar.decisions)) return;
    this.write(notePath, { ...load.sidecar, decisions });
  }

  private write(notePath: string, sidecar: Sidecar): void {
    const path = sidecarPathFor(notePath);
    this.writeFile(path, serializeSidecar(sidecar));
    this.cache.delete(path);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
