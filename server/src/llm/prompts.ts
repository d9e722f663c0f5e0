// Versioned prompt templates: prompts/index.json names each template file with its id, version, task and format,
// and @huggingface/jinja renders it. Loading problems are values with a message naming the file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Template } from '@huggingface/jinja';
import { isPhenotypeType, type PhenotypeType } from '@cancerllm/protocol';

export type PromptTask = 'extraction' | 'diagnosis' | 'treatment-plan';
/** alpaca: the rendered text is the whole prompt; chat: it is the user message, rendered through the chat template. */
export type TemplateFormat = 'alpaca' | 'chat';

export interface PromptTemplate {
  id: string;
  version: number;
  task: PromptTask;
  format: TemplateFormat;
  template: Template;
}

/** A prompt ready for a model: plain text, or one user message for the model's chat template. */
export type TaskPrompt = { kind: 'text'; text: string } | { kind: 'chat'; user: string };

export interface RenderedPrompt {
  prompt: TaskPrompt;
  /** "diagnosis@1": recorded with every result. */
  promptId: string;
}

export type PromptSetResult = { ok: true; prompts: PromptSet } | { ok: false; message: string };

const TASKS: readonly PromptTask[] = ['extraction', 'diagnosis', 'treatment-plan'];

export class PromptSet {
  private constructor(
    private readonly templates: readonly PromptTemplate[],
    /** The question noun per phenotype type for CancerLLM's question-per-phenotype extraction. */
    readonly questions: ReadonlyMap<PhenotypeType, string>,
  ) {}

  static load(dir: string): PromptSetResult {
    const indexPath = join(dir, 'index.json');
    if (!existsSync(indexPath)) return { ok: false, message: `index.json missing in ${dir}` };
    let index: unknown;
    try {
      index = JSON.parse(readFileSync(indexPath, 'utf8'));
    } catch (error) {
      return {
        ok: false,
        message: `${indexPath} does not parse: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const entries = asArray(asRecord(index).prompts);
    const templates: PromptTemplate[] = [];
    for (const entry of entries) {
      const e = asRecord(entry);
      const { id, version, file, task, format } = e;
      if (typeof id !== 'string' || typeof version !== 'number' || typeof file !== 'string') {
        return {
          ok: false,
          message: `${indexPath}: every prompt needs a string "id", a number "version" and a "file"`,
        };
      }
      if (!TASKS.includes(task as PromptTask))
        return { ok: false, message: `${indexPath}: prompt "${id}" has an unknown task` };
      if (format !== 'alpaca' && format !== 'chat')
        return { ok: false, message: `${indexPath}: prompt "${id}" has format other than alpaca or chat` };
      const path = join(dir, file);
      if (!existsSync(path)) return { ok: false, message: `${file} missing in ${dir} (prompt "${id}")` };
      try {
        templates.push({
          id,
          version,
          task: task as PromptTask,
          format,
          template: new Template(readFileSync(path, 'utf8')),
        });
      } catch (error) {
        return {
          ok: false,
          message: `${path} does not parse: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    }
    const questions = new Map<PhenotypeType, string>();
    for (const [type, noun] of Object.entries(asRecord(asRecord(index).questions))) {
      if (isPhenotypeType(type) && typeof noun === 'string') questions.set(type, noun);
    }
    return { ok: true, prompts: new PromptSet(templates, questions) };
  }

  /** The template for a task in a format, falling back to the task's other format; undefined when the set has none. */
  find(task: PromptTask, format: TemplateFormat): PromptTemplate | undefined {
    const forTask = this.templates.filter((t) => t.task === task);
    const newest = (list: PromptTemplate[]) => list.sort((a, b) => b.version - a.version)[0];
    return newest(forTask.filter((t) => t.format === format)) ?? newest(forTask);
  }

  render(task: PromptTask, format: TemplateFormat, variables: Record<string, unknown>): RenderedPrompt | undefined {
    const template = this.find(task, format);
    if (!template) return undefined;
    const text = template.template.render(variables);
    return {
      prompt: template.format === 'alpaca' ? { kind: 'text', text } : { kind: 'chat', user: text.trim() },
      promptId: `${template.id}@${template.version}`,
    };
  }
}

/** Prompt sets by folder, loaded once each: `cancerllm.model.promptsPath`, else the bundled folder. */
export class PromptLibrary {
  private readonly loaded = new Map<string, PromptSetResult>();

  get(promptsPath: string): PromptSetResult {
    const dir = promptsPath || bundledPromptsDir();
    if (!dir) return { ok: false, message: 'the bundled prompts/ folder was not found beside the server' };
    let prompts = this.loaded.get(dir);
    if (!prompts) {
      prompts = PromptSet.load(dir);
      this.loaded.set(dir, prompts);
    }
    return prompts;
  }
}

/**
 * The bundled prompts folder: `prompts/` at the repository or extension root, found by walking up from the running
 * script (dist/server.js, dist/cli.js, or server/src/... under tsx).
 */
export function bundledPromptsDir(start = process.argv[1] ?? process.cwd()): string | undefined {
  let dir = resolve(dirname(start));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'prompts', 'index.json'))) return join(dir, 'prompts');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
