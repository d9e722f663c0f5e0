// Public surface of the shared protocol package: the mention schema and the custom LSP messages.
export * from './mention.ts';
export * from './messages.ts';
export * from './generation.ts';
