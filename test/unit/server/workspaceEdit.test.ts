import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextDocumentEdit } from 'vscode-languageserver/node';
import type { CodeFix } from '../../../src/core/fixes/model';
import type { ServerContext } from '../../../src/server/context';
import { changesToWorkspaceEdit, fixToWorkspaceEdit, OUTSIDE_WORKSPACE } from '../../../src/server/workspaceEdit';

const TEXTS: Record<string, string> = { '/ws/nixos/configuration.nix': '{ }\n', '/outside/users.nix': '{ }\n', '/elsewhere/open.nix': '{ }\n' };
const host = { readText: (file: string) => TEXTS[file], exists: (file: string) => file in TEXTS };

function context(documentChanges: boolean): ServerContext {
  return {
    edits: { documentChanges, createFiles: true },
    trusted: true,
    documents: {
      byFile: (file: string) => (file === '/elsewhere/open.nix' ? {} : undefined),
      versionOf: () => null,
      uriOf: () => undefined,
    },
    index: { folders: () => [{ root: '/ws', isFolder: true }] },
  } as unknown as ServerContext;
}

const edit = (file: string) => ({ file, baseText: '{ }\n', edits: [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, newText: 'a = 1; ' }] });
const fix = (...files: string[]): CodeFix => ({ title: 't', preferred: true, code: 'c', edits: files.map(edit), creates: [] });

test('edits outside the workspace folders need the user to confirm them (changeAnnotations needsConfirmation)', () => {
  const result = fixToWorkspaceEdit(fix('/ws/nixos/configuration.nix', '/outside/users.nix'), host, context(true));
  assert.equal(result?.changeAnnotations?.[OUTSIDE_WORKSPACE]?.needsConfirmation, true);
  const [inside, outside] = (result?.documentChanges ?? []) as TextDocumentEdit[];
  assert.ok(inside?.edits.every((e) => !('annotationId' in e)), 'inside edits are not annotated');
  assert.ok(outside?.edits.every((e) => 'annotationId' in e && e.annotationId === OUTSIDE_WORKSPACE));
  // Fix-all: the same.
  const all = changesToWorkspaceEdit(new Map([['/outside/users.nix', { before: '{ }\n', after: '{ a = 1; }\n' }]]), context(true));
  assert.equal(all?.changeAnnotations?.[OUTSIDE_WORKSPACE]?.needsConfirmation, true);
});

test('edits inside the workspace or in an open document carry no annotation; a client that cannot confirm gets no outside edit', () => {
  const inside = fixToWorkspaceEdit(fix('/ws/nixos/configuration.nix', '/elsewhere/open.nix'), host, context(true));
  assert.equal(inside?.changeAnnotations, undefined);
  assert.equal(fixToWorkspaceEdit(fix('/outside/users.nix'), host, context(false)), undefined);
  assert.ok(fixToWorkspaceEdit(fix('/ws/nixos/configuration.nix'), host, context(false))?.changes);
  assert.equal(changesToWorkspaceEdit(new Map([['/outside/users.nix', { before: '{ }\n', after: '{ a = 1; }\n' }]]), context(false)), undefined);
});
