// The model, analyzer and remote settings: package.json agrees with the server, bad values fall back with a
// message, and settings that load a model or prompts or send text somewhere are restricted in untrusted workspaces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, settingsFrom } from '../src/settings.ts';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> };
    commands: Array<{ command: string }>;
  };
};
const declared = manifest.contributes.configuration.properties;

test('package.json defaults equal the server defaults for the LLM settings', () => {
  const d = DEFAULT_SETTINGS;
  assert.deepEqual(
    [
      'analyzer',
      'model.backend',
      'model.path',
      'model.promptsPath',
      'model.promptFormat',
      'model.maxNewTokens',
      'remote.url',
      'remote.model',
      'remote.timeoutMs',
      'remote.retries',
    ].map((key) => declared[`cancerllm.${key}`]?.default),
    [
      d.analyzer,
      d.model.backend,
      d.model.path,
      d.model.promptsPath,
      d.model.promptFormat,
      d.model.maxNewTokens,
      d.remote.url,
      d.remote.model,
      d.remote.timeoutMs,
      d.remote.retries,
    ],
  );
});

test('the analyzer defaults to the rule engine, and nothing remote is configured by default', () => {
  assert.equal(DEFAULT_SETTINGS.analyzer, 'rules');
  assert.equal(DEFAULT_SETTINGS.remote.url, '');
  assert.deepEqual(declared['cancerllm.analyzer']?.enum, ['rules', 'llm', 'both']);
});

test('settings that load a model or prompts, or send notes to a server, are ignored from untrusted workspaces', () => {
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), [
    'cancerllm.model.path',
    'cancerllm.model.promptsPath',
    'cancerllm.remote.url',
  ]);
});

test('no setting holds an API key: it lives in secret storage, set by a command', () => {
  assert.deepEqual(
    Object.keys(declared).filter((key) => /apikey|api[._]?key|secret|password/i.test(key)),
    [],
  );
  assert.ok(manifest.contributes.commands.some((c) => c.command === 'cancerllm.setRemoteApiKey'));
});

test('valid LLM settings are taken', () => {
  const { settings, problems } = settingsFrom({
    analyzer: 'both',
    model: { backend: 'remote', path: ' /models/cancerllm ', promptFormat: 'chat', maxNewTokens: 64 },
    remote: { url: 'http://gpu01:8000/v1/', model: 'CancerLLM-7B', timeoutMs: 5000, retries: 0 },
  });
  assert.deepEqual(problems, []);
  assert.equal(settings.analyzer, 'both');
  assert.deepEqual(settings.model, {
    backend: 'remote',
    path: '/models/cancerllm',
    promptsPath: '',
    promptFormat: 'chat',
    maxNewTokens: 64,
  });
  assert.deepEqual(settings.remote, {
    url: 'http://gpu01:8000/v1',
    model: 'CancerLLM-7B',
    timeoutMs: 5000,
    retries: 0,
  });
});

test('bad LLM settings fall back with a message naming each', () => {
  const { settings, problems } = settingsFrom({
    analyzer: 'gpt',
    model: { backend: 'cloud', path: 42, maxNewTokens: 0 },
    remote: { url: 'ftp://x', retries: 99 },
  });
  assert.deepEqual(
    { analyzer: settings.analyzer, model: settings.model, remote: settings.remote },
    { analyzer: 'rules', model: DEFAULT_SETTINGS.model, remote: DEFAULT_SETTINGS.remote },
  );
  assert.deepEqual(problems, [
    'cancerllm.analyzer must be one of rules, llm, both (got "gpt"); using "rules".',
    'cancerllm.model.backend must be one of onnx, remote (got "cloud"); using "onnx".',
    'cancerllm.model.path must be a string (got 42); using "".',
    'cancerllm.model.maxNewTokens must be a whole number between 1 and 8192 (got 0); using 512.',
    'cancerllm.remote.url must be an http:// or https:// URL (got "ftp://x"); the remote backend stays off.',
    'cancerllm.remote.retries must be a whole number between 0 and 10 (got 99); using 2.',
  ]);
});
