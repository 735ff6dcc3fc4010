/**
 * The real-shape fixtures (test/fixtures/real-shapes/, see test/cli/realShapes.test.ts for what each folder holds),
 * read the same way by every face held to them: `lint` (test/cli/realShapes.test.ts), the language server
 * (test/lsp/realShapes.test.ts) and `generate` (test/cli/realShapesGenerate.test.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHAPES = resolve(__dirname, '..', 'fixtures', 'real-shapes');

/** The fixture folders' names, sorted (none when the folder is missing: the CLI test fails on that). */
export function realShapes(): string[] {
  return existsSync(SHAPES) ? readdirSync(SHAPES).filter((name) => statSync(join(SHAPES, name)).isDirectory()).sort() : [];
}

/** `file:line:column severity rule-id` lines of `expected-findings.txt`, comments and blank lines left out, sorted. */
export function expectedLines(folder: string): string[] {
  return readFileSync(join(folder, 'expected-findings.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .sort();
}

/** The extra `lint` arguments of `fixture.json` (none without the file). */
export function fixtureArgs(folder: string): string[] {
  const file = join(folder, 'fixture.json');
  return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { args?: string[] }).args ?? []) : [];
}

/** One finding as the expected file writes it; `line` and `character` count from 0, as LSP and the JSON report do. */
export function findingLine(file: string, start: { line: number; character: number }, severity: string, code: string): string {
  return `${file}:${start.line + 1}:${start.character + 1} ${severity} ${code}`;
}
