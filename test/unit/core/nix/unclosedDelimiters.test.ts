import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closersForUnclosed } from '../../../../src/core/nix/unclosedDelimiters';

test('closers for what a half-typed file leaves open, innermost first; strings and comments ignored', () => {
  assert.deepEqual(closersForUnclosed('{ a = [ 1 (f "}]" # ) \n'), {
    closers: ' ) ] }',
    unclosed: [{ opener: '(', offset: 10 }, { opener: '[', offset: 6 }, { opener: '{', offset: 0 }],
  });
  assert.equal(closersForUnclosed('{ s = \'\'\n  echo \'\'${x} ${y\n').closers, " }'' }");
  assert.equal(closersForUnclosed("{ a' = 1; b'' = 2; /* { */ }").closers, '', "quotes ending identifiers do not open strings");
  assert.equal(closersForUnclosed('{ a = "x\\"y').closers, '" }');
});
