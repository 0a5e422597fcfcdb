import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { UsageError } from '../../src/errors.js';
import { extractFeatureName } from '../../src/names/feature-name.js';
import { resolveInside } from '../../src/names/inside-root.js';
import { assertValidName, checkName, type NameRule } from '../../src/names/validate.js';

const HOSTILE: readonly [string, NameRule][] = [
  ['', 'empty'],
  ['../x', 'traversal'],
  ['..', 'traversal'],
  ['x/y', 'traversal'],
  ['x\\y', 'traversal'],
  ['a;rm -rf', 'character'],
  ['$(id)', 'character'],
  ['`id`', 'character'],
  ['a b', 'character'],
  ['a.b', 'character'],
  ['tab\there', 'character'],
  ['new\nline', 'character'],
  ['\u0430dmin', 'character'], // Cyrillic a
  ['\uff41\uff42', 'character'], // full-width ab
  ['caf\u00e9', 'character'],
  ['a'.repeat(51), 'too-long'],
  ['-rf', 'leading-dash'],
  ['--help', 'leading-dash'],
  ['con', 'reserved'],
  ['CON', 'reserved'],
  ['nul', 'reserved'],
  ['Aux', 'reserved'],
  ['prn', 'reserved'],
  ['COM1', 'reserved'],
  ['com9', 'reserved'],
  ['LPT9', 'reserved'],
  ['lpt1', 'reserved'],
];

describe('checkName', () => {
  for (const [name, rule] of HOSTILE) {
    test(`rejects ${JSON.stringify(name)} (${rule})`, () => {
      const found = checkName(name);
      assert.equal(found?.rule, rule);
      assert.ok(found.why.length > 10, 'says why');
      assert.ok(found.fix.length > 5, 'says what to do');
    });
  }

  for (const name of [
    'a',
    'phase2a',
    'user_auth',
    'A-B_c-9',
    '_x',
    '9',
    'a'.repeat(50),
    'COM0',
    'LPT10',
    'console',
  ]) {
    test(`accepts ${JSON.stringify(name)}`, () => {
      assert.equal(checkName(name), null);
    });
  }

  test('names the offending character and its position', () => {
    assert.match(checkName('ab;c')?.why ?? '', /";" at position 3/);
    assert.match(checkName('\u0430dmin')?.why ?? '', /U\+0430, not ASCII/);
  });

  test('assertValidName throws a UsageError that says what, why and how to fix', () => {
    assert.throws(
      () => assertValidName('../evil', 'feature name'),
      (error: unknown) =>
        error instanceof UsageError &&
        error.exitCode === 2 &&
        /invalid feature name "\.\.\/evil"/.test(error.message) &&
        /why: /.test(error.message) &&
        /fix: /.test(error.message),
    );
  });
});

describe('extractFeatureName', () => {
  const cases: [string, string][] = [
    ['prps/INITIAL_user_auth.md', 'user_auth'],
    ['INITIAL_user_auth.md', 'user_auth'],
    ['user_auth.md', 'user_auth'],
    ['user_auth', 'user_auth'],
    ['a/b/INITIAL_INITIAL_x.md', 'INITIAL_x'],
  ];
  for (const [input, expected] of cases) {
    test(`${input} gives ${expected}`, () => {
      assert.equal(extractFeatureName(input), expected);
    });
  }

  test('rejects what is left when it is not a valid name', () => {
    for (const input of [
      'prps/INITIAL_.md',
      'prps/INITIAL_a;b.md',
      'x.txt',
      'a.b.md',
      '-rf',
      'prps/con.md',
    ]) {
      assert.throws(() => extractFeatureName(input), UsageError, input);
    }
  });
});

describe('resolveInside', () => {
  test('joins a name onto its root', () => {
    assert.equal(resolveInside('/tmp/root', 'a.log'), '/tmp/root/a.log');
  });

  test('refuses paths that leave the root, or are the root', () => {
    for (const part of ['../x', '/etc/passwd', 'a/../../x', '.', '']) {
      assert.throws(() => resolveInside('/tmp/root', part), UsageError, part);
    }
  });
});
