// The LICENSE file is the MIT licence that package.json names, for the parex authors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { REPO_ROOT } from '../helpers/paths.js';

test('LICENSE holds the MIT licence of package.json, copyright the parex authors', () => {
  const license = readFileSync(`${REPO_ROOT}LICENSE`, 'utf8');
  const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { license: string };
  assert.equal(pkg.license, 'MIT');
  assert.match(license, /^MIT License\n/);
  assert.match(license, /^Copyright \(c\) \d{4} the parex authors$/m);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});
