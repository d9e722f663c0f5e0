// The `Analyzer` for `cancerllm.analyzer` = llm | both: the rule engine's result at once, plus the model's mentions
// for every section already extracted (cached by section content). Sections not yet extracted are queued and run
// when the user is idle or saves, never per keystroke; when they finish, `onExtracted` asks for re-analysis.
import { createHash } from 'node:crypto';
import { parseNote, type AnalysisResult } from '@cancerllm/engine';
import { GenerationError } from '@cancerllm/model-runtime';
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { Analyzer } from '../analyzer.ts';
import type { NoteSettings } from '../settings.ts';
import type { Span } from './align.ts';
import type { ModelHost } from './model-host.ts';
import { PromptLibrary } from './prompts.ts';
import { extractSection } from './section-extraction.ts';

export interface LlmAnalyzerPort {
  /** Re-analyse open documents: more sections have model mentions now. */
  onExtracted(): void;
  /** Never given note text. */
  log(message: string): void;
  /** The model cannot run: the status bar says why (no model, loading failed, prompts missing). */
  unavailable?(message: string): void;
}

/** Milliseconds without a new analysis before queued sections go to the model. */
export const IDLE_MS = 2000;
const MAX_QUEUED = 500;
/** Longer notes get the rule engine's mentions only (the same threshold as the server's analysis worker). */
const MAX_MODEL_NOTE_CHARS = 200_000;

interface CachedSection {
  /** Offsets relative to the section's start. */
  mentions: AnnotatedMention[];
}

export class LlmAnalyzer implements Analyzer {
  private settings: NoteSettings | undefined;
  private readonly cache = new Map<string, CachedSection>();
  private readonly queue = new Map<string, { text: string; key: string }>();
  private idleTimer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  private modelName = 'llm';

  constructor(
    private readonly base: Analyzer,
    private readonly host: ModelHost,
    private readonly port: LlmAnalyzerPort,
    private readonly idleMs = IDLE_MS,
    private readonly library = new PromptLibrary(),
  ) {
    // a draft the user asked for goes first: the section in progress is abandoned (it stays queued)
    host.onUserWork(() => this.running?.abort());
  }

  get name(): string {
    const mode = this.settings?.analyzer ?? 'rules';
    if (mode === 'rules') return this.base.name;
    return mode === 'llm' ? this.modelName : `${this.base.name} + ${this.modelName}`;
  }

  /** Window-level settings: which analyzer, which model and prompts. Changing them drops queued work and the cache. */
  configure(settings: NoteSettings): void {
    const before = JSON.stringify([this.settings?.model, this.settings?.remote]);
    this.settings = settings;
    if (before !== JSON.stringify([settings.model, settings.remote])) {
      this.cache.clear();
      this.queue.clear();
      this.running?.abort();
    }
    if (settings.analyzer === 'rules') this.queue.clear();
  }

  async analyze(text: string, signal: AbortSignal): Promise<AnalysisResult> {
    const rules = await this.base.analyze(text, signal);
    const settings = this.settings;
    // a note this long is analysed off the main thread by the rule engine; parsing it here for sections would block
    if (!settings || settings.analyzer === 'rules' || text.length > MAX_MODEL_NOTE_CHARS) return rules;
    const model: AnnotatedMention[] = [];
    for (const section of sectionsOf(text)) {
      const key = sectionKey(text.slice(section.start, section.end), settings);
      const cached = this.cache.get(key);
      if (cached)
        model.push(
          ...cached.mentions.map((m) => ({ ...m, start: m.start + section.start, end: m.end + section.start })),
        );
      else if (this.queue.size < MAX_QUEUED) this.queue.set(key, { text: text.slice(section.start, section.end), key });
    }
    this.restartIdleTimer();
    return { mentions: merge(rules.mentions, model, settings.analyzer === 'both'), problems: rules.problems };
  }

  /** On save: queued sections go to the model now. */
  flush(): void {
    if (this.queue.size === 0) return;
    clearTimeout(this.idleTimer);
    void this.drain();
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.running?.abort();
  }

  private restartIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.queue.size > 0) this.idleTimer = setTimeout(() => void this.drain(), this.idleMs);
  }

  private async drain(): Promise<void> {
    const settings = this.settings;
    if (this.running || !settings) return;
    if (this.host.userBusy) {
      this.restartIdleTimer();
      return;
    }
    const state = await this.host.acquire(settings);
    if (state.state !== 'ready') {
      this.port.log(`CancerLLM: the LLM analyzer is idle: ${state.message}`);
      this.port.unavailable?.(`cancerllm.analyzer is "${settings.analyzer}" but no model can run: ${state.message}`);
      this.queue.clear();
      return;
    }
    const prompts = this.library.get(settings.model.promptsPath);
    if (!prompts.ok) {
      this.port.log(`CancerLLM: the LLM analyzer is idle: ${prompts.message}`);
      this.port.unavailable?.(
        `cancerllm.analyzer is "${settings.analyzer}" but the prompts cannot be loaded: ${prompts.message}`,
      );
      this.queue.clear();
      return;
    }
    this.modelName = state.model.name;
    const controller = new AbortController();
    this.running = controller;
    try {
      for (const [key, job] of this.queue) {
        if (controller.signal.aborted) break;
        try {
          const found = await extractSection(
            state.model,
            prompts.prompts,
            settings.model.promptFormat,
            job.text,
            { start: 0, end: job.text.length },
            controller.signal,
          );
          this.queue.delete(key);
          this.cache.set(key, { mentions: found.mentions });
          if (found.unaligned + found.invalid > 0) {
            this.port.log(
              `CancerLLM: ${state.model.name} (${found.promptId}): ${found.unaligned} answers not found in the note and ${found.invalid} invalid items were dropped for one section.`,
            );
          }
          this.port.onExtracted();
        } catch (error) {
          if (controller.signal.aborted) break;
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof GenerationError && error.recovery !== 'none') {
            // the model is unusable, not the section: the section stays queued, and the next drain acquires the
            // model again (opened anew after a dead worker, or the host's reason why none can run)
            this.port.log(`CancerLLM: LLM extraction stopped: ${message}`);
            break;
          }
          this.queue.delete(key);
          this.port.log(`CancerLLM: LLM extraction of one section failed: ${message}`);
        }
      }
    } finally {
      this.running = undefined;
    }
    // abandoned for a user request: the rest waits for the next idle period
    if (controller.signal.aborted) this.restartIdleTimer();
  }
}

/** Level-1 sections (the whole note when it has none): the unit of prompting and caching. */
function sectionsOf(text: string): Span[] {
  const sections = parseNote(text).sections.filter((s) => s.level === 1 && s.end > s.start);
  return sections.length > 0 ? sections.map((s) => ({ start: s.start, end: s.end })) : [{ start: 0, end: text.length }];
}

function sectionKey(sectionText: string, settings: NoteSettings): string {
  const { backend, path, promptFormat, promptsPath } = settings.model;
  return createHash('sha256')
    .update(
      JSON.stringify([
        backend,
        path,
        settings.remote.url,
        settings.remote.model,
        promptFormat,
        promptsPath,
        sectionText,
      ]),
    )
    .digest('hex');
}

/**
 * The model's mentions take value and assertion from an overlapping rule mention of the same type (the rule engine
 * normalizes; the model only locates). With `keepRules`, rule mentions stay and model mentions that overlap one of
 * the same type are dropped as duplicates.
 */
export function merge(
  rules: readonly AnnotatedMention[],
  model: readonly AnnotatedMention[],
  keepRules: boolean,
): AnnotatedMention[] {
  const overlapping = (m: AnnotatedMention) =>
    rules.find((r) => r.type === m.type && r.start < m.end && m.start < r.end);
  const fromModel = model.flatMap((m) => {
    const rule = overlapping(m);
    if (keepRules && rule) return [];
    return [rule ? { ...m, value: rule.value, assertion: rule.assertion } : m];
  });
  const merged = keepRules ? [...rules, ...fromModel] : fromModel;
  return merged.sort((a, b) => a.start - b.start || a.end - b.end);
}
