// Lint rules, including the import boundaries of ARCHITECTURE.md: each package may import only what it owns.
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '**/node_modules/', 'out/', '.tmp/', 'test-artifacts/', 'bench/.work/', '*.vsix', '**/*.tmp.ts', 'test/e2e/.tools/', 'bench/llm-peer/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'server/bin/*.cjs'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Interface methods are async by contract even where one implementation needs no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['test/**/*.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.cjs', 'bench/**', 'scripts/**', 'test/**', '**/test/**', 'server/src/cli/**'], rules: { 'no-console': 'off' } },
  {
    files: ['protocol/src/**'],
    rules: restrict(['@cancerllm/*', 'vscode', 'vscode-*', 'onnxruntime-*'], 'protocol depends on nothing.'),
  },
  {
    files: ['engine/src/**'],
    rules: restrict(['@cancerllm/server', '@cancerllm/model-runtime', '@cancerllm/client', 'vscode', 'vscode-*', 'onnxruntime-*', 'node:fs', 'fs'], 'The engine is a pure core: text in, mentions out (no LSP, no files, no models).'),
  },
  {
    files: ['model-runtime/src/**'],
    rules: restrict(['@cancerllm/*', 'vscode', 'vscode-*'], 'model-runtime never imports vscode, LSP libraries or other packages of ours.'),
  },
  {
    files: ['server/src/**'],
    rules: restrict(['@cancerllm/client', 'vscode', 'vscode-languageclient*'], 'The server never imports the client or the vscode API.'),
  },
  {
    files: ['client/src/**'],
    rules: restrict(['@cancerllm/engine', '@cancerllm/server', '@cancerllm/model-runtime', 'onnxruntime-*', 'vscode-languageserver', 'vscode-languageserver/*'], 'The client only starts the server and forwards commands; it imports only @cancerllm/protocol.'),
  },
);
