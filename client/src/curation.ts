// The client half of curation: asks the curator for what a quick fix needs (a type, a value, an assertion), then
// sends cancerllm/curate to the server, which validates and persists the decision.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ASSERTIONS,
  CURATE_REQUEST,
  PHENOTYPE_TYPES,
  type CurateMentionArguments,
  type CurateParams,
  type CurateResult,
} from '@cancerllm/protocol';

type CuratedMention = NonNullable<CurateParams['mention']>;

export async function curateMention(client: LanguageClient, args: CurateMentionArguments): Promise<void> {
  const params = await paramsFor(args);
  if (!params) return; // the curator cancelled a prompt
  const result = await client.sendRequest<CurateResult>(CURATE_REQUEST, params);
  if (!result.ok) void vscode.window.showErrorMessage(result.message);
}

async function paramsFor(args: CurateMentionArguments): Promise<CurateParams | undefined> {
  const base = { uri: args.uri, version: args.version, start: args.start, end: args.end };
  const found = args.mention;
  if (args.intent === 'add') {
    const type = await pickType('Type of the phenotype to add');
    if (!type) return undefined;
    const assertion = await pickAssertion('present');
    if (!assertion) return undefined;
    const value = await editValue({});
    if (!value) return undefined;
    return { ...base, action: 'add', mention: { type, assertion, value } };
  }
  if (!found) return undefined;
  const accept = (mention: CuratedMention): CurateParams => ({ ...base, action: 'accept', foundType: found.type, mention });
  switch (args.intent) {
    case 'accept':
      return accept(found);
    case 'reject':
      return { ...base, action: 'reject', foundType: found.type };
    case 'changeType': {
      const type = await pickType(`Change type of this ${found.type} mention`, found.type);
      // A value's shape depends on the type, so a changed type starts with an empty value.
      return type ? accept({ ...found, type, value: type === found.type ? found.value : {} }) : undefined;
    }
    case 'editValue': {
      const value = await editValue(found.value);
      return value ? accept({ ...found, value }) : undefined;
    }
    case 'setAssertion': {
      const assertion = await pickAssertion(found.assertion);
      return assertion ? accept({ ...found, assertion }) : undefined;
    }
  }
}

async function pickType(title: string, current?: string): Promise<string | undefined> {
  const items = PHENOTYPE_TYPES.map((type) => ({ label: type, description: type === current ? 'current' : undefined }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Phenotype type' }))?.label;
}

async function pickAssertion(current: string): Promise<string | undefined> {
  const items = ASSERTIONS.map((assertion) => ({ label: assertion, description: assertion === current ? 'current' : undefined }));
  return (await vscode.window.showQuickPick(items, { title: 'Assertion', placeHolder: `Currently ${current}` }))?.label;
}

/** The value as JSON, validated as an object of strings and numbers before it is accepted. */
async function editValue(value: Record<string, string | number>): Promise<Record<string, string | number> | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Normalized value (JSON object)',
    value: JSON.stringify(value),
    prompt: 'For example {"receptor": "ER", "status": "positive", "percent": 95}; see the phenotype schema.',
    validateInput: (input) => (parseValue(input) ? undefined : 'Enter a JSON object whose values are strings or numbers.'),
  });
  return text === undefined ? undefined : parseValue(text);
}

export function parseValue(input: string): Record<string, string | number> | undefined {
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed as Record<string, unknown>);
    if (!entries.every(([, v]) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return undefined;
    return Object.fromEntries(entries) as Record<string, string | number>;
  } catch {
    return undefined; // not JSON: the input box shows the validation message
  }
}
