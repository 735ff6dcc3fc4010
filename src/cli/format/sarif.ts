import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_RULES, INPUT_FINDINGS } from '../../core/rules';
import type { Range } from '../../core/text';
import type { Finding, Severity } from '../../core/types';
import { relativePaths } from './paths';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const HELP_BASE = 'https://github.com/nixos-homelab/nixos-homelab/blob/main/docs/rules/';

/**
 * SARIF 2.1.0: one run, the rule catalogue as the driver's rules, paths relative to %SRCROOT% (the cwd). `notices`
 * about the run become its invocation's notifications: error-level in an unsuccessful invocation when the run
 * checked nothing (`checkedNothing`), note-level otherwise (what it could not check, e.g. no NixOS configuration).
 */
export function formatSarif(findings: Finding[], options: { cwd: string; version: string; notices?: string[]; checkedNothing?: boolean }): string {
  const catalogue = [
    ...ALL_RULES.map((rule) => ({ id: rule.id, summary: rule.summary, level: rule.defaultSeverity })),
    { id: INPUT_FINDINGS.composeParseError.id, summary: 'A compose file cannot be read or parsed.', level: INPUT_FINDINGS.composeParseError.defaultSeverity },
    { id: INPUT_FINDINGS.nixParseError.id, summary: 'A Nix file cannot be read or parsed.', level: INPUT_FINDINGS.nixParseError.defaultSeverity },
    { id: INPUT_FINDINGS.nixImportUnreadable.id, summary: 'An imported module is not read (a file kept on the host, a channel or flake input): findings that could depend on it are information only.', level: INPUT_FINDINGS.nixImportUnreadable.defaultSeverity },
    { id: INPUT_FINDINGS.snapshotError.id, summary: 'The host snapshot folder has unreadable or invalid files.', level: INPUT_FINDINGS.snapshotError.defaultSeverity },
    { id: INPUT_FINDINGS.hostUnknown.id, summary: 'A stack whose host cannot be told: checked on its own, not against a NixOS configuration.', level: INPUT_FINDINGS.hostUnknown.defaultSeverity },
    { id: INPUT_FINDINGS.stackNotDeployed.id, summary: 'A stack no host starts or imports: checked on its own, not against a NixOS configuration.', level: INPUT_FINDINGS.stackNotDeployed.defaultSeverity },
    { id: INPUT_FINDINGS.nixosAssertion.id, summary: 'An assertion of the NixOS configuration fails (lint --eval): nixos-rebuild would stop before building.', level: INPUT_FINDINGS.nixosAssertion.defaultSeverity },
    { id: INPUT_FINDINGS.nixosWarning.id, summary: 'A warning of the NixOS configuration (lint --eval), as nixos-rebuild prints it.', level: INPUT_FINDINGS.nixosWarning.defaultSeverity },
  ];
  const ruleIndex = new Map(catalogue.map((rule, index) => [rule.id, index]));
  const relative = relativePaths(options.cwd, (file) => path.basename(file));
  const uri = (file: string): string => relative(file).split(path.sep).join('/');
  const region = (range: Range) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nixos-homelab',
            version: options.version,
            informationUri: 'https://github.com/nixos-homelab/nixos-homelab',
            rules: catalogue.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.summary },
              helpUri: `${HELP_BASE}${rule.id}.md`,
              defaultConfiguration: { level: LEVEL[rule.level] },
            })),
          },
        },
        ...(options.notices?.length
          ? {
              invocations: [
                {
                  executionSuccessful: !options.checkedNothing,
                  toolExecutionNotifications: options.notices.map((text) => ({ level: options.checkedNothing ? 'error' : 'note', message: { text } })),
                },
              ],
            }
          : {}),
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(options.cwd).href.replace(/\/?$/, '/')}` } },
        results: findings.map((finding) => {
          const index = ruleIndex.get(finding.code);
          return {
            ruleId: finding.code,
            ...(index === undefined ? {} : { ruleIndex: index }),
            level: LEVEL[finding.severity],
            // `markdown` says what `text` says, formatted (SARIF 2.1.0 §3.11.9): the headline, then the explanation.
            message: finding.explanation ? { text: finding.message, markdown: `${finding.message}\n\n${finding.explanation}` } : { text: finding.message },
            ...(finding.host ? { properties: { host: finding.host.name, hostEntry: uri(finding.host.entry) } } : {}),
            locations: [{ physicalLocation: { artifactLocation: { uri: uri(finding.file), uriBaseId: '%SRCROOT%' }, region: region(finding.range) } }],
            ...(finding.related.length
              ? {
                  relatedLocations: finding.related.map((related, id) => ({
                    id,
                    message: { text: related.message },
                    physicalLocation: { artifactLocation: { uri: uri(related.location.file), uriBaseId: '%SRCROOT%' }, region: region(related.location.range) },
                  })),
                }
              : {}),
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
