// "Generate Diagnosis" / "Generate Treatment Plan" on the server: render the task's prompt from the note's sections,
// stream the model's completion, then insert the draft in ONE versioned edit against the document's current text
// (so typing during generation is never overwritten and one undo removes the draft).
import { parseNote } from '@cancerllm/engine';
import { GenerationError } from '@cancerllm/model-runtime';
import type {
  AcceptDraftParams,
  AcceptDraftResult,
  GenerateDraftParams,
  GenerateDraftResult,
  GenerationProgressParams,
} from '@cancerllm/protocol';
import type { NoteSettings } from '../settings.ts';
import { acceptDraftEdits, draftText, placeDraft, withoutDrafts, type TextEdit } from './drafts.ts';
import type { ModelHost, ModelState } from './model-host.ts';
import { PromptLibrary } from './prompts.ts';

/** The document as the server last saw it. */
export interface DraftDocument {
  version: number;
  getText(): string;
}

export interface DraftPort {
  document(uri: string): DraftDocument | undefined;
  settings(uri: string): Promise<NoteSettings>;
  /** Applies edits (offsets into `version`'s text) as one workspace edit; false when the client refused (e.g. a newer version). */
  applyEdits(uri: string, version: number, edits: TextEdit[]): Promise<boolean>;
  progress(params: GenerationProgressParams): void;
  /** Never given note or generated text. */
  log(message: string): void;
}

/** A note edited on every try is rare; give up after this many rather than loop forever. */
const EDIT_ATTEMPTS = 5;
/** How long a refused edit waits for the editor's newer version to reach the server. */
const VERSION_WAIT_MS = 2000;

export class DraftGenerator {
  constructor(
    private readonly port: DraftPort,
    private readonly host: ModelHost,
    private readonly library = new PromptLibrary(),
  ) {}

  /** Runs ahead of background extraction: that is cancelled and resumes when the user is idle again. */
  generate(params: GenerateDraftParams, signal: AbortSignal): Promise<GenerateDraftResult> {
    return this.host.asUserWork(() => this.run(params, signal));
  }

  private async run(params: GenerateDraftParams, signal: AbortSignal): Promise<GenerateDraftResult> {
    const { uri, task, progressId } = params;
    const document = this.port.document(uri);
    if (!document) return { ok: false, reason: 'not-a-note', message: 'The note is not open in the language server.' };
    const settings = await this.port.settings(uri);
    const acquiring = this.host.acquire(settings);
    if (this.host.isLoading(settings)) this.port.progress({ progressId, stage: 'loading', chars: 0 });
    const state = await acquiring;
    if (signal.aborted) return cancelled();
    if (state.state !== 'ready') return unusable(state);
    const { model } = state;
    const prompts = this.library.get(settings.model.promptsPath);
    if (!prompts.ok)
      return {
        ok: false,
        reason: 'generation-failed',
        message: `The prompt templates could not be loaded: ${prompts.message}`,
        setting: 'cancerllm.model.promptsPath',
      };
    const sections = sectionsOf(withoutDrafts(document.getText()));
    const format = task === 'treatment-plan' ? 'chat' : settings.model.promptFormat;
    const rendered = prompts.prompts.render(task, format, { sections });
    if (!rendered)
      return {
        ok: false,
        reason: 'generation-failed',
        message: `No prompt template for ${task} in the prompt folder.`,
        setting: 'cancerllm.model.promptsPath',
      };

    let body = '';
    this.port.progress({ progressId, stage: 'generating', chars: 0, model: model.name });
    try {
      for await (const piece of model.complete(
        rendered.prompt,
        { maxNewTokens: settings.model.maxNewTokens, stop: ['### Instruction:', '### Input:'] },
        signal,
      )) {
        body += piece;
        this.port.progress({ progressId, stage: 'generating', chars: body.length, model: model.name });
      }
    } catch (error) {
      if (signal.aborted) return cancelled();
      const message = error instanceof Error ? error.message : String(error);
      this.port.log(`CancerLLM: ${task} generation with ${model.name} failed: ${message}`);
      if (error instanceof GenerationError && error.recovery === 'restart-process') {
        // the model is gone for this process: the answer is the host's, as for every request after this one
        const after = await this.host.acquire(settings);
        if (after.state !== 'ready') return unusable(after, `${model.name} failed: `);
      }
      return generationFailed(model.name, error, message);
    }
    if (signal.aborted) return cancelled();
    if (body.trim() === '') body = '(the model generated no text)';
    const block = draftText(
      task,
      model.name,
      rendered.promptId,
      body,
      document.getText().includes('\r\n') ? '\r\n' : '\n',
    );
    return this.insert(params, model.name, rendered.promptId, block);
  }

  /** Places the block against the newest text; when the client refuses because the note changed, tries again. */
  private async insert(
    params: GenerateDraftParams,
    model: string,
    promptId: string,
    block: string,
  ): Promise<GenerateDraftResult> {
    for (let attempt = 0; attempt < EDIT_ATTEMPTS; attempt++) {
      const document = this.port.document(params.uri);
      if (!document)
        return {
          ok: false,
          reason: 'not-a-note',
          message: 'The note was closed during generation; the draft was discarded.',
        };
      const version = document.version;
      const edit = placeDraft(document.getText(), params.task, block, params.cursor);
      if (await this.port.applyEdits(params.uri, version, [edit])) {
        const start = edit.start + edit.newText.indexOf(block);
        return { ok: true, model, promptId, version, start, end: start + block.length };
      }
      // refused because the editor is ahead: its didChange may still be on the way, so wait for the newer text
      await this.newerThan(params.uri, version);
    }
    return {
      ok: false,
      reason: 'edit-rejected',
      message: 'The note kept changing, so the draft could not be inserted; run the command again.',
    };
  }

  private async newerThan(uri: string, version: number): Promise<void> {
    for (let waited = 0; waited < VERSION_WAIT_MS; waited += 20) {
      if ((this.port.document(uri)?.version ?? Infinity) !== version) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async accept(params: AcceptDraftParams): Promise<AcceptDraftResult> {
    const document = this.port.document(params.uri);
    if (!document) return { ok: false, message: 'The note is not open in the language server.' };
    const edits = acceptDraftEdits(document.getText(), params.task);
    if (edits.length === 0) return { ok: false, message: 'The note has no draft of this kind any more.' };
    return (await this.port.applyEdits(params.uri, document.version, edits))
      ? { ok: true }
      : { ok: false, message: 'The note changed; try again.' };
  }
}

/** The note's top-level sections as the prompts see them: a title ("" for the preamble) and the text under it. */
export function sectionsOf(text: string): Array<{ title: string; text: string }> {
  const sections = parseNote(text).sections.filter((s) => s.level === 1);
  if (sections.length === 0) return [{ title: '', text: text.trim() }];
  return sections
    .map((s) => ({
      title: s.title,
      text: text
        .slice(s.title ? s.titleEnd : s.start, s.end)
        .replace(/^\s*:?\s*/, '')
        .trim(),
    }))
    .filter((s) => s.text !== '' || s.title !== '');
}

/**
 * Why no model can run, with what fixes it: a setting, or (after a fatal GPU error, when the model cannot be loaded
 * again in this process) a restarted server, which the client offers.
 */
function unusable(state: Exclude<ModelState, { state: 'ready' }>, prefix = ''): GenerateDraftResult {
  const unchanged = prefix ? ' Nothing was inserted; the note is unchanged.' : '';
  return {
    ok: false,
    reason: state.state === 'none' ? 'no-model' : 'loading-failed',
    message: `${prefix}${state.message}${unchanged}`,
    ...(state.setting ? { setting: state.setting } : {}),
    ...(state.restartServer ? { restartServer: true } : {}),
  };
}

/**
 * A model that fails mid-stream leaves the note as it was: the draft goes in only as one edit after generation
 * ends, so the text streamed so far is discarded rather than inserted as a truncated draft (a cut-off diagnosis
 * reads like a finished one). For the runtime's faults (out of memory, a GPU error, a dead worker) the message says
 * so, and out of memory points at the setting that helps most.
 */
function generationFailed(model: string, error: unknown, message: string): GenerateDraftResult {
  const runtime = error instanceof GenerationError && (error.fault || error.recovery !== 'none') ? error : undefined;
  if (!runtime) return { ok: false, reason: 'generation-failed', message: `${model} failed: ${message}` };
  // a dead worker's message does not say what happens next (the runtime's fault messages do)
  const reload = runtime.recovery === 'reopen' ? ' The model is loaded again for the next request.' : '';
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return {
    ok: false,
    reason: 'generation-failed',
    message: `${model} failed: ${sentence}${reload} Nothing was inserted; the note is unchanged.`,
    ...(runtime.fault === 'out-of-memory' ? { setting: 'cancerllm.model.maxNewTokens' } : {}),
  };
}

function cancelled(): GenerateDraftResult {
  return { ok: false, reason: 'cancelled', message: 'Generation was cancelled; nothing was inserted.' };
}
