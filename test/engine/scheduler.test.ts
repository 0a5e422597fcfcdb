// The scheduler on its own (no processes): order, needs, skips, admission, and a long chain.
import assert from 'node:assert/strict';
import test from 'node:test';

import { runInSlots, type SchedulableJobs } from '../../src/engine/scheduler.js';
import { NameList } from '../../src/names/name-list.js';

interface SchedulableJob {
  readonly name: string;
  readonly needs: readonly string[];
}

const job = (name: string, ...needs: string[]): SchedulableJob => ({ name, needs });

/** A list of jobs as the scheduler reads them, by position. */
function byPosition(list: readonly SchedulableJob[]): SchedulableJobs<SchedulableJob> {
  return {
    length: list.length,
    at: (index) => list[index] as SchedulableJob,
    names: nameList(list.map((entry) => entry.name)),
    needs: (index) => (list[index] as SchedulableJob).needs,
    after: () => [],
  };
}

function nameList(names: readonly string[]): NameList {
  const list = new NameList();
  for (const name of names) list.add(name);
  return list;
}

/** Runs `jobs` with `slots`; `fails` end unsuccessfully. Returns what happened, in order. */
async function schedule(
  jobs: readonly SchedulableJob[],
  slots: number,
  fails: readonly string[] = [],
  admit?: (job: SchedulableJob) => 'start' | 'wait' | { readonly refuse: string },
) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const left = await runInSlots(byPosition(jobs), slots, null, {
    run: async (job) => {
      running += 1;
      most = Math.max(most, running);
      events.push(`run ${job.name}`);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return !fails.includes(job.name);
    },
    skip: (job, need) => events.push(`skip ${job.name} (${need})`),
    refuse: (job, reason) => events.push(`refuse ${job.name} (${reason})`),
    ...(admit === undefined ? {} : { admit }),
  });
  return { events, most, left: left.map((index) => (jobs[index] as SchedulableJob).name) };
}

test('jobs start in the order given, each after its needs, at most N at once', async () => {
  const run = await schedule(
    [job('a'), job('b', 'd'), job('c', 'a'), job('d'), job('e', 'b', 'c')],
    2,
  );
  assert.deepEqual(run.events, ['run a', 'run d', 'run c', 'run b', 'run e']);
  assert.equal(run.most, 2);
  assert.deepEqual(run.left, []);
});

test('a failure skips, in order, every job that needs it directly or not, at once; the others run', async () => {
  const run = await schedule(
    [job('a'), job('b', 'a'), job('c', 'b'), job('d'), job('e', 'd', 'c')],
    1,
    ['a'],
  );
  assert.deepEqual(run.events, ['run a', 'skip b (a)', 'skip c (b)', 'skip e (c)', 'run d']);
});

test('a refused job is failed for its dependents; a need outside the group is never met', async () => {
  const run = await schedule(
    [job('a'), job('b', 'a'), job('c', 'nowhere'), job('d')],
    4,
    [],
    (j) => (j.name === 'a' ? { refuse: 'over budget' } : 'start'),
  );
  assert.deepEqual(run.events, ['refuse a (over budget)', 'run d', 'skip b (a)']);
  assert.deepEqual(run.left, ['c']);
});

test('a job told to wait starts when woken, still before later jobs if it is first', async () => {
  let open = false;
  let wake: () => void = () => {};
  const events: string[] = [];
  const done = runInSlots(byPosition([job('a'), job('b')]), 1, null, {
    run: async (j) => {
      events.push(`run ${j.name}`);
      return true;
    },
    skip: () => {},
    admit: (j) => (j.name === 'a' && !open ? 'wait' : 'start'),
    wakeWith: (fn) => {
      wake = fn;
    },
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events, ['run b'], 'b took the free slot while a waited');
  open = true;
  wake();
  assert.deepEqual(await done, []);
  assert.deepEqual(events, ['run b', 'run a']);
});

test('a chain of 20,000 jobs runs through, each once, in order', async () => {
  const jobs = Array.from({ length: 20_000 }, (_, i) =>
    i === 0 ? job('p0') : job(`p${i}`, `p${i - 1}`),
  );
  const run = await schedule(jobs, 8);
  assert.equal(run.events.length, 20_000);
  assert.equal(run.events.at(-1), 'run p19999');
  assert.equal(run.most, 1);
});
