import { attrPath, commentText, renderNix, type NixExpr } from '../edits/nixExpr';
import type { Block, DesiredSetting } from '../edits/setting';

/**
 * Renders blocks as one fresh NixOS module, the way a NixOS user writes one by hand: settings that share an
 * option owner are grouped (`virtualisation.docker = { enable = true; daemon.settings = { … }; };`), collections
 * of named entries stay dotted (`users.groups.render.gid = lib.mkForce 110;`, `fileSystems."/mnt/x" = { … };`),
 * `append` settings of one list option become one deduplicated list, and every block starts with its title as a
 * comment. The output depends only on the input (no dates), so regenerating an unchanged homelab gives the same
 * bytes.
 */

export interface RenderModuleOptions {
  /** Lines of the comment at the top of the file (without `#`). */
  header?: string[];
  /** One indentation level (default two spaces, as nixos-generate-config writes). */
  indentUnit?: string;
}

export interface RenderedModule {
  text: string;
  /** Paths set to two different values by different blocks: the first block's value was kept. */
  conflicts: { path: string[]; kept: string; dropped: string }[];
}

/** Attribute sets of named entries: written per entry (`users.users.palav = { … }`), never opened as a whole. */
const COLLECTIONS = [['users', 'users'], ['users', 'groups'], ['fileSystems'], ['systemd', 'services'], ['systemd', 'mounts'], ['environment', 'etc']];

interface Leaf {
  /** The `set` value, if any. */
  value?: NixExpr;
  /** Items appended to the list (rendered text → expression), in first-seen order. */
  items: Map<string, NixExpr>;
  reasons: string[];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  leaf?: Leaf;
  /** Index of the first block that wrote under this node. */
  block: number;
  /** Creation order, so units of one block keep the order the block listed them in. */
  seq: number;
}

/** Renders `blocks` into module text. A block without settings is written as a comment only (a note to the reader). */
export function renderModule(blocks: readonly Block[], options: RenderModuleOptions = {}): RenderedModule {
  const unit = options.indentUnit ?? '  ';
  const conflicts: RenderedModule['conflicts'] = [];
  const root = buildTree(blocks, unit, conflicts);
  const units = collectUnits(root, []).sort((a, b) => a.node.block - b.node.block || a.node.seq - b.node.seq);

  const sections: string[] = [];
  blocks.forEach((block, index) => {
    const own = units.filter((u) => u.node.block === index);
    if (block.settings.length > 0 && own.length === 0) return;
    const lines = block.title.split('\n').map((line) => comment(unit, line));
    for (const u of own) lines.push(...renderBinding(u.path, u.node, unit, unit));
    sections.push(lines.join('\n'));
  });

  const header = (options.header ?? []).flatMap((line) => line.split('\n')).map((line) => comment('', line));
  const text = [...header, ...(header.length ? [''] : []), '{ config, lib, pkgs, ... }:', '', '{', sections.join('\n\n'), '}', ''].join('\n');
  return { text, conflicts };
}

/** A comment line; `\n` in titles and headers separates lines, anything else that could end a comment is escaped. */
function comment(indent: string, line: string): string {
  return line === '' ? `${indent}#` : `${indent}# ${commentText(line)}`;
}

function buildTree(blocks: readonly Block[], unit: string, conflicts: RenderedModule['conflicts']): TreeNode {
  let seq = 0;
  const root: TreeNode = { children: new Map(), block: 0, seq: seq++ };
  blocks.forEach((block, index) => {
    for (const setting of block.settings) {
      let node = root;
      for (const key of setting.path) {
        let child = node.children.get(key);
        if (!child) {
          child = { children: new Map(), block: index, seq: seq++ };
          node.children.set(key, child);
        }
        node = child;
      }
      addToLeaf(node, setting, unit, conflicts);
    }
  });
  return root;
}

function addToLeaf(node: TreeNode, setting: DesiredSetting, unit: string, conflicts: RenderedModule['conflicts']): void {
  const leaf: Leaf = (node.leaf ??= { items: new Map<string, NixExpr>(), reasons: [] as string[] });
  if (setting.reason && !leaf.reasons.includes(setting.reason)) leaf.reasons.push(setting.reason);
  if (setting.mode === 'append') {
    const items = setting.value.kind === 'list' ? setting.value.items : [setting.value];
    for (const item of items) {
      const key = renderNix(item, '', unit);
      if (!leaf.items.has(key)) leaf.items.set(key, item);
    }
    return;
  }
  if (leaf.value === undefined) {
    leaf.value = setting.value;
    return;
  }
  const kept = renderNix(leaf.value, '', unit);
  const dropped = renderNix(setting.value, '', unit);
  if (kept !== dropped) conflicts.push({ path: setting.path, kept, dropped });
}

interface Unit {
  path: string[];
  node: TreeNode;
}

/**
 * The top-level bindings: descend through namespaces (`hardware`, `users.users`) until reaching a value or an
 * option owner with several settings (`hardware.nvidia`, `users.users.palav`), which is written as one attrset.
 */
function collectUnits(node: TreeNode, path: string[]): Unit[] {
  if (node.leaf) return [{ path, node }];
  const isCollection = COLLECTIONS.some((c) => c.length === path.length && c.every((key, i) => key === path[i]));
  if (path.length >= 2 && node.children.size >= 2 && !isCollection) return [{ path, node: withMinimumOrder(node) }];
  return [...node.children].flatMap(([key, child]) => collectUnits(child, [...path, key]));
}

/** A unit opened as an attrset belongs to the earliest block that wrote into it. */
function withMinimumOrder(node: TreeNode): TreeNode {
  let block = node.block;
  const visit = (n: TreeNode): void => {
    block = Math.min(block, n.block);
    n.children.forEach(visit);
  };
  visit(node);
  return { ...node, block };
}

/** `a.b.c = value;` for a chain of single children ending in a value, `a.b = { … };` when the chain branches. */
function renderBinding(path: string[], node: TreeNode, indent: string, unit: string): string[] {
  let current = node;
  const fullPath = [...path];
  while (!current.leaf && current.children.size === 1) {
    const [key, child] = [...current.children][0] as [string, TreeNode];
    fullPath.push(key);
    current = child;
  }
  if (current.leaf) {
    const reasons = current.leaf.reasons.map((reason) => comment(indent, reason));
    return [...reasons, `${indent}${attrPath(fullPath)} = ${renderLeaf(current.leaf, indent, unit)};`];
  }
  const inner = [...current.children].flatMap(([key, child]) => renderBinding([key], child, indent + unit, unit));
  return [`${indent}${attrPath(fullPath)} = {`, ...inner, `${indent}};`];
}

function renderLeaf(leaf: Leaf, indent: string, unit: string): string {
  let value = leaf.value;
  if (leaf.items.size > 0) {
    // A `set` list plus appended items is one list: the set items first, then the new ones not already there.
    const base = value?.kind === 'list' ? value.items : value ? [value] : [];
    const seen = new Set(base.map((item) => renderNix(item, '', unit)));
    value = { kind: 'list', items: [...base, ...[...leaf.items].filter(([key]) => !seen.has(key)).map(([, item]) => item)] };
  }
  const expr = value ?? { kind: 'list', items: [] };
  const text = renderNix(expr, indent, unit);
  return expr.kind === 'raw' ? reindent(text, indent) : text;
}

/**
 * Raw expressions that span lines (the autostart script with its `${lib.escapeShellArgs […]}`) are written
 * relative to column 0; shift their continuation lines to where the binding starts.
 */
function reindent(text: string, indent: string): string {
  if (!text.includes('\n') || indent === '') return text;
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : indent + line))
    .join('\n');
}
