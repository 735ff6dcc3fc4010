import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenDocuments } from '../../../src/server/documents';
import { pathToUri } from '../../../src/server/uri';

test('the open documents keep their names by folder as they open and close (namesIn)', () => {
  const documents = new OpenDocuments();
  // Opened and closed as the protocol does it, through the store's own handlers.
  const handlers: Record<string, (params: unknown) => void> = {};
  documents.store.listen({
    onDidOpenTextDocument: (handler: (params: unknown) => void) => (handlers['open'] = handler),
    onDidChangeTextDocument: () => undefined,
    onDidCloseTextDocument: (handler: (params: unknown) => void) => (handlers['close'] = handler),
    onWillSaveTextDocument: () => undefined,
    onWillSaveTextDocumentWaitUntil: () => undefined,
    onDidSaveTextDocument: () => undefined,
  } as never);
  const open = (file: string): void => handlers['open']?.({ textDocument: { uri: pathToUri(file), languageId: 'plaintext', version: 1, text: 'x' } });
  const close = (file: string): void => handlers['close']?.({ textDocument: { uri: pathToUri(file) } });
  const names = (dir: string): string[] => [...documents.namesIn(dir)].sort();
  open('/srv/lab/plex/docker-compose.yml');
  open('/srv/lab/plex/.env');
  open('/srv/lab/top.nix');
  assert.deepEqual(names('/srv/lab/plex'), ['.env', 'docker-compose.yml']);
  assert.deepEqual(names('/srv/lab'), ['top.nix']);
  assert.deepEqual(names('/srv'), []);
  close('/srv/lab/plex/.env');
  close('/srv/lab/top.nix');
  assert.deepEqual(names('/srv/lab/plex'), ['docker-compose.yml']);
  assert.deepEqual(names('/srv/lab'), []);
  assert.deepEqual([...documents.files()], ['/srv/lab/plex/docker-compose.yml']);
});
