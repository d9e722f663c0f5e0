// The server's settings: the TypeScript view of package.json's contributes.configuration (a test keeps the two in
// sync), and a parser that turns whatever the client sends into valid settings plus messages for bad values.
import { ASSERTIONS, type Assertion } from '@cancerllm/protocol';

export const SEVERITY_NAMES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export interface NoteSettings {
  analysis: {
    plaintextAndMarkdown: boolean;
    debounceMs: number;
    maxDocumentChars: number;
  };
  diagnostics: {
    severity: Record<Assertion, SeverityName>;
  };
  inlayHints: {
    enabled: boolean;
  };
  /** Which analyzer finds mentions: the rule engine, a model, or both merged. */
  analyzer: AnalyzerSetting;
  model: ModelSettings;
  remote: RemoteSettings;
}

export const ANALYZER_SETTINGS = ['rules', 'llm', 'both'] as const;
export type AnalyzerSetting = (typeof ANALYZER_SETTINGS)[number];
export const MODEL_BACKENDS = ['onnx', 'remote'] as const;
export type ModelBackend = (typeof MODEL_BACKENDS)[number];
export const PROMPT_FORMATS = ['alpaca', 'chat'] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

export interface ModelSettings {
  backend: ModelBackend;
  /** Local model folder for the onnx backend; "" means none configured. */
  path: string;
  /** Folder of prompt templates (prompts/index.json); "" means the bundled ones. */
  promptsPath: string;
  /** alpaca: CancerLLM's own `### Instruction:` format; chat: the model's chat template (general instruct models). */
  promptFormat: PromptFormat;
  maxNewTokens: number;
}

export interface RemoteSettings {
  /** Base URL of an OpenAI-compatible server, e.g. http://gpu01:8000/v1; "" means none configured. */
  url: string;
  model: string;
  timeoutMs: number;
  retries: number;
}

export const DEFAULT_SETTINGS: NoteSettings = {
  analysis: { plaintextAndMarkdown: false, debounceMs: 250, maxDocumentChars: 20_000_000 },
  diagnostics: {
    severity: {
      present: 'information',
      negated: 'hint',
      possible: 'hint',
      historical: 'hint',
      family: 'hint',
      hypothetical: 'hint',
    },
  },
  inlayHints: { enabled: true },
  analyzer: 'rules',
  model: { backend: 'onnx', path: '', promptsPath: '', promptFormat: 'alpaca', maxNewTokens: 512 },
  remote: { url: '', model: '', timeoutMs: 60_000, retries: 2 },
};

/** The full keys the server reads, for the drift test against package.json. */
export const SETTING_KEYS = [
  'cancerllm.analysis.plaintextAndMarkdown',
  'cancerllm.analysis.debounceMs',
  'cancerllm.analysis.maxDocumentChars',
  'cancerllm.diagnostics.severity',
  'cancerllm.inlayHints.enabled',
  'cancerllm.analyzer',
  'cancerllm.model.backend',
  'cancerllm.model.path',
  'cancerllm.model.promptsPath',
  'cancerllm.model.promptFormat',
  'cancerllm.model.maxNewTokens',
  'cancerllm.remote.url',
  'cancerllm.remote.model',
  'cancerllm.remote.timeoutMs',
  'cancerllm.remote.retries',
] as const;

export interface ParsedSettings {
  settings: NoteSettings;
  /** One message per rejected value, naming the setting, what was wrong and the value used instead. */
  problems: string[];
}

/** Parses the `cancerllm` configuration section; any bad value falls back to its default with a message. */
export function settingsFrom(raw: unknown): ParsedSettings {
  const problems: string[] = [];
  const section = asRecord(raw);
  const analysis = asRecord(section.analysis);
  const diagnostics = asRecord(section.diagnostics);
  const inlayHints = asRecord(section.inlayHints);
  const model = asRecord(section.model);
  const remote = asRecord(section.remote);
  const defaults = DEFAULT_SETTINGS;
  return {
    settings: {
      analysis: {
        plaintextAndMarkdown: booleanSetting(
          'cancerllm.analysis.plaintextAndMarkdown',
          analysis.plaintextAndMarkdown,
          defaults.analysis.plaintextAndMarkdown,
          problems,
        ),
        debounceMs: integerSetting('cancerllm.analysis.debounceMs', analysis.debounceMs, defaults.analysis.debounceMs, 0, 5000, problems),
        maxDocumentChars: integerSetting(
          'cancerllm.analysis.maxDocumentChars',
          analysis.maxDocumentChars,
          defaults.analysis.maxDocumentChars,
          1000,
          Number.MAX_SAFE_INTEGER,
          problems,
        ),
      },
      diagnostics: { severity: severitySetting(diagnostics.severity, problems) },
      inlayHints: {
        enabled: booleanSetting('cancerllm.inlayHints.enabled', inlayHints.enabled, defaults.inlayHints.enabled, problems),
      },
      analyzer: enumSetting('cancerllm.analyzer', section.analyzer, ANALYZER_SETTINGS, defaults.analyzer, problems),
      model: {
        backend: enumSetting('cancerllm.model.backend', model.backend, MODEL_BACKENDS, defaults.model.backend, problems),
        path: stringSetting('cancerllm.model.path', model.path, defaults.model.path, problems),
        promptsPath: stringSetting('cancerllm.model.promptsPath', model.promptsPath, defaults.model.promptsPath, problems),
        promptFormat: enumSetting('cancerllm.model.promptFormat', model.promptFormat, PROMPT_FORMATS, defaults.model.promptFormat, problems),
        maxNewTokens: integerSetting('cancerllm.model.maxNewTokens', model.maxNewTokens, defaults.model.maxNewTokens, 1, 8192, problems),
      },
      remote: {
        url: urlSetting('cancerllm.remote.url', remote.url, problems),
        model: stringSetting('cancerllm.remote.model', remote.model, defaults.remote.model, problems),
        timeoutMs: integerSetting('cancerllm.remote.timeoutMs', remote.timeoutMs, defaults.remote.timeoutMs, 1000, 3_600_000, problems),
        retries: integerSetting('cancerllm.remote.retries', remote.retries, defaults.remote.retries, 0, 10, problems),
      },
    },
    problems,
  };
}

function booleanSetting(key: string, value: unknown, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  problems.push(`${key} must be true or false (got ${show(value)}); using ${fallback}.`);
  return fallback;
}

function stringSetting(key: string, value: unknown, fallback: string, problems: string[]): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value.trim();
  problems.push(`${key} must be a string (got ${show(value)}); using ${JSON.stringify(fallback)}.`);
  return fallback;
}

function enumSetting<T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T, problems: string[]): T {
  if (value === undefined || value === null) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  problems.push(`${key} must be one of ${allowed.join(', ')} (got ${show(value)}); using "${fallback}".`);
  return fallback;
}

/** An http(s) URL or ""; anything else is rejected so that nothing is ever sent to a mistyped address. */
function urlSetting(key: string, value: unknown, problems: string[]): string {
  const text = stringSetting(key, value, '', problems);
  if (text === '') return '';
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text.replace(/\/+$/, '');
  } catch {
    // reported below: the value is not a URL at all
  }
  problems.push(`${key} must be an http:// or https:// URL (got ${show(value)}); the remote backend stays off.`);
  return '';
}

function integerSetting(key: string, value: unknown, fallback: number, min: number, max: number, problems: string[]): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
  problems.push(`${key} must be a whole number ${range} (got ${show(value)}); using ${fallback}.`);
  return fallback;
}

function severitySetting(value: unknown, problems: string[]): Record<Assertion, SeverityName> {
  const key = 'cancerllm.diagnostics.severity';
  const result = { ...DEFAULT_SETTINGS.diagnostics.severity };
  if (value === undefined || value === null) return result;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${key} must be an object mapping assertions to severities (got ${show(value)}); using the defaults.`);
    return result;
  }
  for (const [assertion, severity] of Object.entries(value)) {
    if (!(ASSERTIONS as readonly string[]).includes(assertion)) {
      problems.push(`${key} has an unknown assertion "${assertion}" (expected: ${ASSERTIONS.join(', ')}); it is ignored.`);
      continue;
    }
    if (!(SEVERITY_NAMES as readonly unknown[]).includes(severity)) {
      const fallback = result[assertion as Assertion];
      problems.push(`${key}.${assertion} must be one of ${SEVERITY_NAMES.join(', ')} (got ${show(severity)}); using "${fallback}".`);
      continue;
    }
    result[assertion as Assertion] = severity as SeverityName;
  }
  return result;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Shows a bad setting value briefly; settings are not note text, but keep messages short anyway. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
