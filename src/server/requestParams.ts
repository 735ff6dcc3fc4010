import { z } from 'zod';
import type { CodeActionParams, DefinitionParams, DocumentLinkParams, HoverParams } from 'vscode-languageserver/node';
import type { AddImportParams, ApplyAllFixesParams, FolderParams, GenerateModuleParams } from '../shared/protocol';

/**
 * The params of each request, checked before its handler runs (handler.ts): a client that sends `range: null` or
 * no `textDocument` gets InvalidParams with the field that is wrong, not a TypeError from deep inside. Each schema
 * checks the fields its handler reads; the others pass through as sent.
 */
export interface ParamsSchema<P> {
  safeParse(value: unknown): { success: true; data: P } | { success: false; error: z.ZodError };
}

/** The schema, typed as the protocol's params type its handler is written against. */
const paramsOf = <P>(schema: z.ZodTypeAny): ParamsSchema<P> => schema as unknown as ParamsSchema<P>;

/** LSP `uinteger`. */
const uinteger = z.number().int().min(0).max(2 ** 31 - 1);
const position = z.object({ line: uinteger, character: uinteger });
const range = z.object({ start: position, end: position });
const textDocument = z.object({ uri: z.string() }).passthrough();
const diagnostic = z.object({ range, code: z.union([z.string(), z.number()]).optional(), source: z.string().optional() }).passthrough();

export const HOVER_PARAMS = paramsOf<HoverParams>(z.object({ textDocument, position }).passthrough());
export const DEFINITION_PARAMS = paramsOf<DefinitionParams>(z.object({ textDocument, position }).passthrough());
export const DOCUMENT_LINK_PARAMS = paramsOf<DocumentLinkParams>(z.object({ textDocument }).passthrough());
export const CODE_ACTION_PARAMS = paramsOf<CodeActionParams>(
  z.object({ textDocument, range, context: z.object({ diagnostics: z.array(diagnostic), only: z.array(z.string()).optional() }).passthrough() }).passthrough(),
);
/** The migration requests: `{}` or `{ folder }`; no params at all means the first folder too. */
export const FOLDER_PARAMS = paramsOf<FolderParams>(z.object({ folder: z.string().optional() }).passthrough().nullish().transform((params) => params ?? {}));
export const GENERATE_MODULE_PARAMS = paramsOf<GenerateModuleParams>(
  z.object({ folder: z.string().optional(), replaces: z.string().optional() }).passthrough().nullish().transform((params) => params ?? {}),
);
export const APPLY_ALL_FIXES_PARAMS = paramsOf<ApplyAllFixesParams>(z.object({ uri: z.string().optional() }).passthrough().nullish().transform((params) => params ?? {}));
export const ADD_IMPORT_PARAMS = paramsOf<AddImportParams>(z.object({ entry: z.string(), module: z.string() }).passthrough());
export const SNAPSHOT_WRITTEN_PARAMS = paramsOf<{ folder: string }>(z.object({ folder: z.string() }).passthrough());
/** Requests without params (`nixosHomelab/workspaceSummary`): whatever is sent is ignored. */
export const NO_PARAMS = paramsOf<void>(z.unknown().transform(() => undefined));

/** The first problem, short: `range.start.line: Expected number, received null`. */
export function describeInvalidParams(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid params';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'params';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}: ${issue.message}${more}`;
}
