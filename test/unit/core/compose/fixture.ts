import { loadComposeProject, type ComposeProject, type ComposeService } from '../../../../src/core/compose';
import { LineIndex, type SourceLocation } from '../../../../src/core/text';
import { memoryHost } from '../../helpers/memoryHost';

export const STACK = '/stack';
export const MAIN = `${STACK}/docker-compose.yml`;

/** Loads a stack from in-memory files (keys relative to /stack unless absolute). */
export function load(files: Record<string, string>, options?: { extraEnv?: Record<string, string>; main?: string }): ComposeProject & { files_: Record<string, string> } {
  const absolute: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) absolute[path.startsWith('/') ? path : `${STACK}/${path}`] = text;
  const main = options?.main ?? MAIN;
  const project = loadComposeProject(main, memoryHost(absolute), options?.extraEnv ? { extraEnv: options.extraEnv } : {});
  return Object.assign(project, { files_: absolute });
}

/** Loads a single docker-compose.yml (plus optional extra files). */
export function loadCompose(compose: string, extra: Record<string, string> = {}, extraEnv?: Record<string, string>): ReturnType<typeof load> {
  return load({ 'docker-compose.yml': compose, ...extra }, extraEnv ? { extraEnv } : undefined);
}

export function service(project: ComposeProject, name: string): ComposeService {
  const found = project.services.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no service ${name}; have ${project.services.map((s) => s.name).join(', ')}`);
  return found;
}

/** The exact text a location covers, read from the project's files. */
export function textAt(project: { files_: Record<string, string> }, loc: SourceLocation): string {
  const text = project.files_[loc.file];
  if (text === undefined) throw new Error(`no file ${loc.file}`);
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(loc.range.start), index.offsetAt(loc.range.end));
}
