// Colour precedence: NO_COLOR (non-empty) wins over FORCE_COLOR, which wins over the terminal test.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { colorEnabled } from '../../src/cli/live/colors.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

test('NO_COLOR beats FORCE_COLOR; FORCE_COLOR beats a pipe; a terminal colours by default', () => {
  assert.equal(colorEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
  assert.equal(colorEnabled(pipe, { NO_COLOR: '1', FORCE_COLOR: '3' }), false);
  assert.equal(colorEnabled(pipe, { NO_COLOR: '', FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled(pipe, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled(tty, { FORCE_COLOR: '0' }), true);
  assert.equal(colorEnabled(pipe, { FORCE_COLOR: '0' }), false);
  assert.equal(colorEnabled(tty, {}), true);
  assert.equal(colorEnabled(pipe, {}), false);
});
