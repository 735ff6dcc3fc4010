import * as path from 'node:path';
import type { DocumentLink, DocumentLinkParams } from 'vscode-languageserver/node';
import { isComposeFileName } from '../../core/compose';
import { findEnvFileReferences } from '../../core/envFileLinks';
import type { ServerContext } from '../context';
import { documentHandler } from '../handler';
import { DOCUMENT_LINK_PARAMS } from '../requestParams';
import { pathToUri } from '../uri';

/** `env_file` paths of a compose file become links to the files. */
export function documentLinksHandler(ctx: ServerContext) {
  return documentHandler<DocumentLinkParams, DocumentLink[]>('documentLinks', ctx, DOCUMENT_LINK_PARAMS, (document, file) => {
    if (!isComposeFileName(path.basename(file))) return [];
    return findEnvFileReferences(file, document.getText()).map((reference) => ({
      range: reference.range,
      target: pathToUri(reference.target),
      tooltip: `Open ${path.basename(reference.target)}`,
    }));
  });
}
