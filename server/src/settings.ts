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
};

/** The full keys the server reads, for the drift test against package.json. */
export const SETTING_KEYS = [
  'cancerllm.analysis.plaintextAndMarkdown',
  'cancerllm.analysis.debounceMs',
  'cancerllm.analysis.maxDocumentChars',
  'cancerllm.diagnostics.severity',
  'cancerllm.inlayHints.enabled',
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
