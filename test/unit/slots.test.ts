// A worker's slots: never more holders than its --concurrency, waiters served in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Slots } from '../../src/pool/slots.js';

test('slots: at most N at once, the rest in order as slots are given back', async () => {
  const slots = new Slots(2);
  const order: number[] = [];
  let holding = 0;
  let most = 0;
  await Promise.all(
    [1, 2, 3, 4, 5].map(async (n) => {
      await slots.take();
      holding += 1;
      most = Math.max(most, holding);
      order.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      holding -= 1;
      slots.give();
    }),
  );
  assert.equal(most, 2);
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
});
