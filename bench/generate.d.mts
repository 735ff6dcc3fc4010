// Types of generate.mjs for the TypeScript tests that reuse its files.
export function generateHomelab(root: string, options?: { stacks?: number; servicesPerStack?: number; modules?: number }): { composeFiles: number; services: number; modules: number };
export function bigComposeFile(services?: number): string;
export function bigComposeFileWithAnchors(services?: number): string;
