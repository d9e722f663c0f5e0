// docs/lsp-extensions.md documents exactly the custom messages declared in protocol/src/messages.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as protocol from '@cancerllm/protocol';

test('every custom message is documented, and every documented message exists', () => {
  const declared = Object.entries(protocol)
    .filter(([name, value]) => /_(NOTIFICATION|REQUEST)$/.test(name) && typeof value === 'string')
    .map(([, value]) => value as string)
    .sort();
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'lsp-extensions.md'), 'utf8');
  const documented = [...doc.matchAll(/^## `(cancerllm\/[A-Za-z]+)`/gm)].map((m) => m[1]!).sort();
  assert.ok(declared.length > 0);
  assert.deepEqual(documented, declared);
});
