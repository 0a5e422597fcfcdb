// The report: a markdown table of medians, parex's ratio to each peer, start-up, targets, notes.
import { TOOL_LABELS, TOOL_NOTES, TOOLS } from './tools.mjs';

const fmt = {
  s: (v) => `${(v / 1000).toFixed(2)} s`,
  ms: (v) => `${v.toFixed(2)} ms`,
  late: (v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)} ms`,
  rate: (v) => `${v.toFixed(0)} MiB/s`,
  mb: (v) => `${v.toFixed(1)} MB`,
  int: (v) => `${v}`,
  x: (v) => `${v.toFixed(2)}x`,
  bytes: (v) => `${(v / 1e6).toFixed(2)} MB`,
};

/** The rows of the table: [workload id, metric, label, format, ratio?]. */
function rows(workloads) {
  const out = [];
  for (const w of workloads) {
    const add = (metric, label, format, ratio = true) =>
      out.push({ w, metric, label, format, ratio });
    if (w.kind === 'true') {
      add('wallMs', `${w.title}: wall`, fmt.s);
      add('perJobMs', `${w.title}: wall per job`, fmt.ms);
    }
    if (w.kind === 'output') {
      add('mibPerSec', `${w.title}: throughput (launch to exit)`, fmt.rate);
      add('mibPerSecInRun', `${w.title}: throughput (first job start to exit)`, fmt.rate);
    }
    if (w.rss) add('rssMb', `${w.title}: peak RSS`, fmt.mb);
    if (w.manifest) add('manifestBytes', `${w.title}: manifest size`, fmt.bytes, false);
    if (w.timeoutSec !== undefined) {
      add('wallMs', `${w.title}: wall`, fmt.s);
      add('termLateMs', `${w.title}: SIGTERM after the deadline (latest job)`, fmt.late, false);
      add(
        'goneAfterDeadlineMs',
        `${w.title}: every process gone, after the deadline`,
        fmt.late,
        false,
      );
      add('survivors', `${w.title}: survivors 200 ms after the tool exited`, fmt.int, false);
    }
    if (w.kind === 'sleep') {
      add('wallMs', `${w.title}: wall`, fmt.s);
      add('speedup', `${w.title}: speedup (job time / wall)`, fmt.x);
      add('groupWallMs', `${w.title}: parex's own group wall (manifest)`, fmt.s, false);
    }
  }
  return out;
}

/** The whole report as markdown. */
export function renderReport({
  machine,
  settings,
  workloads,
  medians,
  startup,
  targets,
  warnings,
}) {
  const tools = TOOLS.filter((tool) => settings.tools.includes(tool));
  const peers = tools.filter((tool) => tool !== 'parex');
  const lines = [
    `# parex benchmark (${settings.smoke ? 'SMOKE: tiny sizes, 1 run; numbers mean nothing' : `medians of ${settings.runs} runs`})`,
    '',
    `${machine.nproc} cores (${machine.cpu}), ${machine.memGiB} GiB, ${machine.os}, kernel ${machine.kernel}, Node ${machine.node}; ` +
      `parex ${machine.parex}, ${machine.parallel}, ${machine.xargs}, concurrently ${machine.concurrently}. ` +
      `Logs in ${settings.workDirParent}. ${settings.date}. Load average at the start ${machine.loadStart}, at the end ${settings.loadEnd}.`,
    '',
    'Each peer cell: the median, then (parex ÷ peer). Times and memory: below 1 means parex is better; throughput and speedup: above 1.',
    '',
    `| workload | ${tools.map((t) => TOOL_LABELS[t]).join(' | ')} |`,
    `|---|${tools.map(() => '---:').join('|')}|`,
  ];
  for (const row of rows(workloads)) {
    const value = (tool) => medians[row.w.id]?.[tool]?.[row.metric] ?? null;
    const base = value('parex');
    if (tools.every((tool) => value(tool) === null)) continue;
    const cells = tools.map((tool) => {
      const v = value(tool);
      if (medians[row.w.id]?.[tool] === undefined) return 'not run';
      if (v === null) return '-';
      if (tool === 'parex' || !row.ratio || base === null || v === 0) return row.format(v);
      return `${row.format(v)} (${(base / v).toFixed(2)})`;
    });
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`);
  }
  if (startup !== null) {
    const floor = startup.node.medianMs;
    lines.push(
      '',
      `Start-up, medians of ${settings.startupRuns} runs each (interleaved, after a warm-up):`,
      '',
    );
    lines.push('| command | median | ÷ `node -e 0` | exit |', '|---|---:|---:|---:|');
    for (const entry of Object.values(startup)) {
      const ratio = entry.medianMs / floor;
      lines.push(
        `| ${entry.label} | ${entry.medianMs.toFixed(1)} ms | ${ratio.toFixed(2)}x | ${entry.exitCode} |`,
      );
    }
  }
  if (targets.length > 0) {
    lines.push(
      '',
      'Targets (issue 6), judged on the medians above:',
      '',
      '| target | measured | verdict |',
      '|---|---|---|',
    );
    for (const t of targets)
      lines.push(`| ${t.target} | ${t.measured} | ${t.ok ? 'met' : '**MISSED**'} |`);
  }
  lines.push('', 'How each tool was run (CMD is `/bin/sh -c` of the job line):', '');
  for (const tool of tools) lines.push(`- ${TOOL_LABELS[tool]}: ${TOOL_NOTES[tool]}`);
  if (peers.length > 0 && workloads.some((w) => w.timeoutSec !== undefined)) {
    lines.push(
      '- Timeouts: parex gets `--timeout T --kill-after G`; every peer lacks a per-job timeout and runs `timeout -k G T sh -c CMD` instead (nearest equivalent: it signals its own process group).',
    );
  }
  lines.push(
    '- Timeout jobs append `PID start NS` when they start, and an observer subshell in the job appends `PID term NS` when SIGTERM reaches the group; "SIGTERM after the deadline" is term - start - T (the job starts ~1-3 ms after its spawn, so this slightly understates it). "Every process gone" is when /proc last showed a job process (sh, sleep, timeout, date, head; zombies excluded) carrying the run\'s marker in its environment, polled every 5 ms, counted from the first job\'s start plus T.',
    '- Every tool gets the environment of the harness without the `npm_*` variables and `INIT_CWD` that `npm run` adds.',
    "- Peak RSS: GNU time `%M` (the largest process of the tool's tree, which is the tool itself here). Wall: from spawning the tool to its exit, as seen by the harness.",
  );
  if (warnings.length > 0) {
    lines.push('', 'Warnings (runs that did not do what was asked):', '');
    for (const w of warnings) lines.push(`- ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
