// Public surface of the server package, for tests and the bundler entry points.
export { bindConnection, SERVER_NAME } from './connection.ts';
export { NoteServer, type ServerPort, type DocumentSource } from './note-server.ts';
export { settingsFrom, DEFAULT_SETTINGS, SETTING_KEYS, type NoteSettings } from './settings.ts';
