// The scheduler's start admission: 'wait' holds a job back until the policy wakes the
// scheduler (other jobs start meanwhile), 'never' leaves it not started.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { StartAdmission } from '../../src/engine/admission.js';
import { allOf } from '../../src/engine/admission.js';
import { runInSlots } from '../../src/engine/scheduler.js';

interface Job {
  readonly name: string;
  readonly needs: readonly string[];
}

const job = (name: string, needs: string[] = []): Job => ({ name, needs });

test('a held job starts when woken, a refused one is left not started', async () => {
  const started: string[] = [];
  let release = false;
  let wake = () => {};
  const policy: StartAdmission<Job> = {
    admit: (candidate) => {
      if (candidate.name === 'refused') return 'never';
      if (candidate.name === 'held' && !release) return 'wait';
      return 'start';
    },
    subscribe: (fn) => {
      wake = fn;
    },
  };
  const left = await runInSlots(
    [job('held'), job('free'), job('refused'), job('after', ['refused'])],
    2,
    null,
    {
      run: async (ran) => {
        started.push(ran.name);
        if (ran.name === 'free') {
          await new Promise((resolve) => setTimeout(resolve, 50));
          release = true;
          setTimeout(wake, 20);
        }
        return true;
      },
      skip: () => assert.fail('nothing is skipped'),
      admission: policy,
    },
  );
  assert.deepEqual(started, ['free', 'held']);
  assert.deepEqual(
    left.map((entry) => entry.name),
    ['refused', 'after'],
  );
});

test('allOf: never beats wait beats start', () => {
  const answer = (value: 'start' | 'wait' | 'never'): StartAdmission<Job> => ({
    admit: () => value,
  });
  assert.equal(allOf([answer('start'), answer('wait')]).admit(job('x')), 'wait');
  assert.equal(allOf([answer('wait'), answer('never')]).admit(job('x')), 'never');
  assert.equal(allOf<Job>([]).admit(job('x')), 'start');
});
