import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, SETTING_KEYS, settingsFrom } from '../src/settings.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; scope?: string; markdownDescription?: string }> } };
};
const declared = manifest.contributes.configuration.properties;

test('every setting the server reads is declared in package.json, and vice versa', () => {
  const serverKeys = [...SETTING_KEYS, 'cancerllm.trace.server'].sort();
  assert.deepEqual(Object.keys(declared).sort(), serverKeys);
});

test('package.json defaults equal the server defaults', () => {
  assert.equal(declared['cancerllm.analysis.plaintextAndMarkdown']?.default, DEFAULT_SETTINGS.analysis.plaintextAndMarkdown);
  assert.equal(declared['cancerllm.analysis.debounceMs']?.default, DEFAULT_SETTINGS.analysis.debounceMs);
  assert.equal(declared['cancerllm.analysis.maxDocumentChars']?.default, DEFAULT_SETTINGS.analysis.maxDocumentChars);
  assert.deepEqual(declared['cancerllm.diagnostics.severity']?.default, DEFAULT_SETTINGS.diagnostics.severity);
  assert.equal(declared['cancerllm.inlayHints.enabled']?.default, DEFAULT_SETTINGS.inlayHints.enabled);
});

test('every declared setting has a scope and a description', () => {
  for (const [key, property] of Object.entries(declared)) {
    assert.ok(property.scope, `${key} has a scope`);
    assert.ok(property.markdownDescription, `${key} has a description`);
  }
});

test('missing settings give the defaults without complaint', () => {
  assert.deepEqual(settingsFrom(undefined), { settings: DEFAULT_SETTINGS, problems: [] });
  assert.deepEqual(settingsFrom(null), { settings: DEFAULT_SETTINGS, problems: [] });
});

test('valid values are taken', () => {
  const { settings, problems } = settingsFrom({
    analysis: { plaintextAndMarkdown: true, debounceMs: 0 },
    diagnostics: { severity: { negated: 'off', present: 'warning' } },
  });
  assert.deepEqual(problems, []);
  assert.equal(settings.analysis.plaintextAndMarkdown, true);
  assert.equal(settings.analysis.debounceMs, 0);
  assert.equal(settings.diagnostics.severity.negated, 'off');
  assert.equal(settings.diagnostics.severity.present, 'warning');
  assert.equal(settings.diagnostics.severity.family, 'hint');
});

test('each bad value falls back to its default with a message naming the setting', () => {
  const { settings, problems } = settingsFrom({
    analysis: { plaintextAndMarkdown: 'yes', debounceMs: -5, maxDocumentChars: 1.5 },
    diagnostics: { severity: { negated: 'loud', sometimes: 'hint' } },
  });
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.deepEqual(problems, [
    'cancerllm.analysis.plaintextAndMarkdown must be true or false (got "yes"); using false.',
    'cancerllm.analysis.debounceMs must be a whole number between 0 and 5000 (got -5); using 250.',
    'cancerllm.analysis.maxDocumentChars must be a whole number at least 1000 (got 1.5); using 20000000.',
    'cancerllm.diagnostics.severity.negated must be one of error, warning, information, hint, off (got "loud"); using "hint".',
    'cancerllm.diagnostics.severity has an unknown assertion "sometimes" (expected: present, negated, possible, historical, family, hypothetical); it is ignored.',
  ]);
});

test('a severity setting that is not an object is rejected whole', () => {
  const { settings, problems } = settingsFrom({ diagnostics: { severity: ['hint'] } });
  assert.deepEqual(settings.diagnostics.severity, DEFAULT_SETTINGS.diagnostics.severity);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^cancerllm\.diagnostics\.severity must be an object/);
});
