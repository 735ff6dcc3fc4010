import { prepareAnalysis } from '../core/analysis/prepare';
import { CliError } from './args';
import { EXTRACT_USAGE, runExtract } from './extract';
import { GENERATE_USAGE, runGenerate } from './generate';
import { LINT_USAGE, runLint, type CliIo } from './lint';
import { runVerify, VERIFY_USAGE } from './verify';

declare const PACKAGE_VERSION: string | undefined;

const USAGE = `nixos-homelab — check and migrate a Docker Compose homelab onto NixOS

Usage:
  ${LINT_USAGE}
  ${GENERATE_USAGE}
  ${EXTRACT_USAGE}
  ${VERIFY_USAGE}

Exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O error.
Docs: docs/rules/<rule-id>.md for every finding.`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  lint: runLint,
  generate: runGenerate,
  extract: runExtract,
  verify: runVerify,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${io.version}\n`);
    return 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    io.stderr(`nixos-homelab: unknown command "${command}" (try --help)\n`);
    return 2;
  }
  try {
    await prepareAnalysis();
    return await handler(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`nixos-homelab: ${error.message}\n`);
      return 2;
    }
    // System I/O errors (ENOENT, EACCES…) are the user's to fix; anything else is our bug.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      io.stderr(`nixos-homelab: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr(`nixos-homelab: internal error: ${(error as Error).message} (please report this with the command you ran)\n`);
    if (process.env['NIXOS_HOMELAB_DEBUG']) io.stderr(`${(error as Error).stack ?? ''}\n`);
    return 2;
  }
}

if (require.main === module) {
  const io: CliIo = {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
    version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev',
  };
  main(process.argv.slice(2), io).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`nixos-homelab: internal error: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
