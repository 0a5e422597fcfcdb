#!/usr/bin/env node
// npm run bench: parex side by side with a minimal Node runner, xargs -P, GNU parallel and
// concurrently on the workloads of issue 6; medians to bench/results/latest.md (and .json).
// Options: --smoke (1 run, tiny sizes), --runs N (default 5), --tools a,b (default all),
// --workloads a,b (ids: true-j8 true-j32 true-j64 output term grandchild sleep many startup),
// --dir PARENT (where the logs go; default /dev/shm when it has room, else the temp dir).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { hasGnuTime, killActiveGroups, median } from './lib/measure.mjs';
import { renderReport } from './lib/report.mjs';
import { runOne } from './lib/run-one.mjs';
import {
  describeMachine,
  installPeers,
  makeWorkDir,
  parexVersion,
  snapshotParex,
} from './lib/setup.mjs';
import { measureStartup } from './lib/startup.mjs';
import { judgeTargets } from './lib/targets.mjs';
import { TOOL_LABELS, TOOLS } from './lib/tools.mjs';
import { workloads as allWorkloads } from './lib/workloads.mjs';

const say = (line) => process.stderr.write(`[bench] ${line}\n`);
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    tools: { type: 'string' },
    workloads: { type: 'string' },
    dir: { type: 'string' },
  },
});
const smoke = values.smoke;
const runs = smoke ? 1 : Number(values.runs ?? 5);
const list = (text) => text?.split(',').map((item) => item.trim());

const workDir = makeWorkDir(values.dir);
process.on('SIGINT', () => abort(130));
process.on('SIGTERM', () => abort(143));
const paths = await snapshotParex(workDir);
const peers = installPeers();
Object.assign(paths, peers);
const available = TOOLS.filter(
  (tool) => !['parallel', 'concurrently'].includes(tool) || peers[tool],
);
const tools = (list(values.tools) ?? TOOLS).filter((tool) => {
  if (available.includes(tool)) return true;
  if (TOOLS.includes(tool)) say(`skipping ${TOOL_LABELS[tool]}: not installed`);
  else say(`unknown tool ${tool}; known: ${TOOLS.join(', ')}`);
  return false;
});
const wanted = list(values.workloads);
const workloads = allWorkloads(smoke).filter((w) => wanted === undefined || wanted.includes(w.id));
const gnuTime = hasGnuTime();
const machine = {
  ...describeMachine(peers),
  parex: `${parexVersion(paths.parexMain)} (${paths.build})`,
};
say(
  `logs under ${workDir}; ${runs} run(s) of ${workloads.length} workloads x ${tools.length} tools`,
);
say(`parex ${machine.parex}`);
if (!gnuTime) say('GNU time not found: peak RSS is read from /proc/PID/status (VmHWM) every 10 ms');

const samples = {};
const warnings = [];
let failures = 0;
try {
  for (let index = 0; index < runs; index += 1) {
    for (const workload of workloads) {
      // Rotate the order of the tools from one run to the next, so that no tool always goes first.
      const order = tools.map((_, k) => tools[(k + index) % tools.length]);
      for (const tool of order) {
        const limitMs = smoke ? 60_000 : 600_000;
        let result;
        try {
          result = await runOne({ tool, workload, index, workDir, paths, gnuTime, limitMs });
        } catch (error) {
          failures += 1;
          say(`${workload.id} ${tool}: harness error: ${error.stack ?? error}`);
          continue;
        }
        samples[workload.id] ??= {};
        samples[workload.id][tool] ??= [];
        samples[workload.id][tool].push(result.metrics);
        const m = result.metrics;
        const extra =
          m.goneAfterDeadlineMs === undefined
            ? ''
            : `, gone +${m.goneAfterDeadlineMs.toFixed(0)} ms`;
        say(
          `run ${index + 1}/${runs} ${workload.id} ${tool}: ${(m.wallMs / 1000).toFixed(3)} s${extra}`,
        );
        for (const text of result.warnings) {
          const line = `run ${index + 1}, ${workload.title}, ${TOOL_LABELS[tool]}: ${text}`;
          warnings.push(line);
          say(`WARNING ${line}${m.toolOutput ? `\n${m.toolOutput}` : ''}`);
        }
      }
    }
  }
  const startupRuns = smoke ? 2 : 20;
  const startup =
    wanted === undefined || wanted.includes('startup')
      ? await measureStartup({ ...paths, workDir, runs: startupRuns })
      : null;
  const medians = mediansOf(samples);
  const targets = judgeTargets({ workloads, medians, startup });
  const settings = {
    smoke,
    runs,
    tools,
    startupRuns,
    workDirParent: path.dirname(workDir),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadEnd: os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' '),
  };
  const results = { machine, settings, workloads, samples, medians, startup, targets, warnings };
  const report = renderReport(results);
  mkdirSync(RESULTS, { recursive: true });
  const name = smoke ? 'smoke' : 'latest';
  writeFileSync(path.join(RESULTS, `${name}.md`), report);
  writeFileSync(path.join(RESULTS, `${name}.json`), `${JSON.stringify(results, null, 1)}\n`);
  process.stdout.write(report);
  say(`written to ${path.relative(process.cwd(), path.join(RESULTS, `${name}.md`))} (and .json)`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exitCode = failures === 0 ? 0 : 1;

/** For each workload and tool, the median of every numeric metric over the runs. */
function mediansOf(all) {
  const out = {};
  for (const [id, byTool] of Object.entries(all)) {
    out[id] = {};
    for (const [tool, list] of Object.entries(byTool)) {
      const keys = new Set(list.flatMap((m) => Object.keys(m)));
      out[id][tool] = {};
      for (const key of keys) {
        const numbers = list.map((m) => m[key]).filter((v) => typeof v === 'number');
        if (numbers.length > 0) out[id][tool][key] = median(numbers);
      }
    }
  }
  return out;
}

/** Ctrl-C or SIGTERM: kill the tool being measured, remove the logs, exit 128+n. */
function abort(status) {
  say('interrupted: stopping the tool being measured and removing the logs');
  killActiveGroups();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(status);
}
