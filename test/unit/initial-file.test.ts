// The initial file as a run names it: inside the project relative to it, outside as typed
// (local) or refused (pooled).
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { UsageError } from '../../src/errors.js';
import { projectInitial } from '../../src/workflow/initial-file.js';
import { tempDir } from '../helpers/tmp.js';

test('an absolute initial file inside the project (also through a linked project) becomes project-relative; outside stays as typed locally and is refused pooled', (t) => {
  const project = tempDir(t);
  mkdirSync(path.join(project, 'prps'));
  writeFileSync(path.join(project, 'prps', 'INITIAL_a.md'), '# a\n');
  const inside = path.join(project, 'prps', 'INITIAL_a.md');
  assert.equal(projectInitial(inside, project, true), 'prps/INITIAL_a.md');
  assert.equal(projectInitial('prps/INITIAL_a.md', project, true), 'prps/INITIAL_a.md');
  const link = path.join(tempDir(t), 'linked');
  symlinkSync(project, link);
  assert.equal(projectInitial(inside, link, true), 'prps/INITIAL_a.md');
  const outside = path.join(tempDir(t), 'INITIAL_b.md');
  writeFileSync(outside, '# b\n');
  assert.equal(projectInitial(outside, project, false), outside);
  assert.throws(
    () => projectInitial(outside, project, true),
    (error) => error instanceof UsageError && /outside the project/.test(error.message),
  );
  assert.throws(
    () => projectInitial('prps/INITIAL_none.md', project, false),
    (error) => error instanceof UsageError && /does not exist/.test(error.message),
  );
});
