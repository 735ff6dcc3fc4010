import type { Finding } from '../types';
import type { ComposeRule } from './rule';

/**
 * One root cause, one finding: a rule's findings in one stack that share a grouping key (the same PUID in nine
 * services) become the first of them in source order, with every other location kept as related information, a
 * short count after the headline and the rule's note in the explanation. A finding without a key, or alone with its key, is returned as it is (the same object).
 */
export function groupFindings(grouping: NonNullable<ComposeRule['grouping']>, findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const groups = new Map<string, Finding[]>();
  const order: (Finding | string)[] = [];
  for (const finding of findings) {
    const key = grouping.key(finding);
    if (key === undefined) {
      order.push(finding);
      continue;
    }
    const group = groups.get(key);
    if (group) group.push(finding);
    else {
      groups.set(key, [finding]);
      order.push(key);
    }
  }
  if (groups.size === findings.length) return findings;
  return order.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const group = [...(groups.get(entry) ?? [])].sort(bySourceOrder);
    const [first, ...others] = group;
    if (!first || others.length === 0) return first as Finding;
    return {
      ...first,
      message: `${first.message} (and ${others.length} more)`,
      explanation: first.explanation ? `${endSentence(first.explanation)}\n\n${endSentence(grouping.note(others))}` : endSentence(grouping.note(others)),
      related: [...first.related, ...others.map((other) => ({ location: { file: other.file, range: other.range }, message: grouping.related(other) }))],
    };
  });
}

/** The message with a full stop at its end (unless it ends a sentence already), ready for one more sentence. */
export function endSentence(message: string): string {
  const trimmed = message.trimEnd();
  return /[.;!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function bySourceOrder(a: Finding, b: Finding): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** "`sonarr`, `radarr` and 6 more" — names for a message, at most `shown` of them. */
export function listNames(names: string[], shown = 3): string {
  const quoted = names.slice(0, shown).map((name) => `\`${name}\``);
  const rest = names.length - quoted.length;
  if (rest > 0) return `${quoted.join(', ')} and ${rest} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1] ?? ''}`;
}
