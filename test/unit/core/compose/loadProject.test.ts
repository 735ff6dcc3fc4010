import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadComposeProject } from '../../../../src/core/compose';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';

function tempTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-include-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

const PROXY = 'services:\n  proxy:\n    image: tecnativa/docker-socket-proxy\n    volumes:\n      - ./certs:/certs\n';

test('include: the same file twice, and a diamond, are accepted as compose-go accepts them (equal definitions skipped)', () => {
  const root = tempTree({
    'shared/proxy.yaml': PROXY,
    'diamond/a.yaml': 'include:\n  - ../shared/proxy.yaml\nservices:\n  a:\n    image: nginx\n',
    'diamond/b.yaml': 'include:\n  - ../shared/proxy.yaml\nservices:\n  b:\n    image: nginx\n',
    'diamond/compose.yaml': 'include:\n  - a.yaml\n  - b.yaml\n',
  });
  // The same file under two spellings of its path.
  fs.mkdirSync(path.join(root, 'twice'));
  fs.writeFileSync(path.join(root, 'twice/compose.yaml'), `include:\n  - ../shared/proxy.yaml\n  - ../../${path.basename(root)}/shared/proxy.yaml\nservices:\n  app:\n    image: nginx\n`);
  for (const stack of ['twice', 'diamond']) {
    const project = loadComposeProject(path.join(root, stack, 'compose.yaml'), new DiskFileSource());
    assert.deepEqual(project.problems, [], stack);
    assert.equal(project.services.filter((service) => service.name === 'proxy').length, 1, stack);
  }
});

test('include: a different definition of the same service is refused, at the include, with compose-go\'s words', () => {
  const root = tempTree({
    'shared/proxy.yaml': PROXY,
    'conflict/compose.yaml': 'include:\n  - ../shared/proxy.yaml\nservices:\n  proxy:\n    image: tecnativa/docker-socket-proxy:0.3\n',
    // The same text in another folder: its relative bind names another place, so it is another definition.
    'other/proxy.yaml': PROXY,
    'moved/compose.yaml': 'include:\n  - ../shared/proxy.yaml\n  - ../other/proxy.yaml\n',
  });
  for (const stack of ['conflict', 'moved']) {
    const project = loadComposeProject(path.join(root, stack, 'compose.yaml'), new DiskFileSource());
    assert.equal(project.problems.length, 1, stack);
    assert.match(project.problems[0]?.message ?? '', /services\.proxy conflicts with imported resource/);
    assert.equal(project.problems[0]?.file, path.join(root, stack, 'compose.yaml'));
  }
});

test('include: a file that includes itself along the chain is still a cycle', () => {
  const root = tempTree({ 'loop/compose.yaml': 'include:\n  - part.yaml\nservices:\n  a:\n    image: nginx\n', 'loop/part.yaml': 'include:\n  - part.yaml\nservices:\n  b:\n    image: nginx\n' });
  const project = loadComposeProject(path.join(root, 'loop', 'compose.yaml'), new DiskFileSource());
  assert.ok(project.problems.some((problem) => /loops back/.test(problem.message)));
});
