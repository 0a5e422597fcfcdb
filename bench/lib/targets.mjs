// The targets of issue 6, checked against the medians (information only: never the exit status).

/** Each target: { target, measured, ok }; a target whose numbers are missing is left out. */
export function judgeTargets({ workloads, medians, startup }) {
  const out = [];
  const get = (id, tool, metric) => medians[id]?.[tool]?.[metric] ?? null;
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const push = (target, measured, ok) => out.push({ target, measured, ok });

  for (const w of workloads.filter((x) => x.kind === 'true' && x.id !== 'many')) {
    const px = get(w.id, 'parex', 'wallMs');
    const min = get(w.id, 'minimal', 'wallMs');
    if (px !== null && min !== null) {
      push(
        `${w.title}: parex ≤ 1.3x the minimal runner`,
        `${s(px)} vs ${s(min)}: ${(px / min).toFixed(2)}x`,
        px <= 1.3 * min,
      );
    }
    for (const peer of ['parallel', 'concurrently']) {
      const other = get(w.id, peer, 'wallMs');
      if (px !== null && other !== null) {
        push(`${w.title}: parex ahead of ${peer}`, `${s(px)} vs ${s(other)}`, px < other);
      }
    }
  }
  const out8 = workloads.find((w) => w.kind === 'output');
  if (out8) {
    for (const [metric, how] of [
      ['mibPerSec', 'launch to exit'],
      ['mibPerSecInRun', 'first job start to exit'],
    ]) {
      const px = get(out8.id, 'parex', metric);
      const min = get(out8.id, 'minimal', metric);
      if (px !== null && min !== null) {
        const text = `${px.toFixed(0)} vs ${min.toFixed(0)} MiB/s: ${((100 * px) / min).toFixed(0)}%`;
        push(`output (${how}): ≥ 90% of the minimal runner's throughput`, text, px >= 0.9 * min);
      }
    }
    const rss = get(out8.id, 'parex', 'rssMb');
    if (rss !== null) push('output: parex peak RSS < 100 MB', `${rss.toFixed(1)} MB`, rss < 100);
  }
  for (const w of workloads.filter((x) => x.timeoutSec !== undefined)) {
    const late = get(w.id, 'parex', 'termLateMs');
    if (late !== null)
      push(`${w.title}: SIGTERM ≤ 50 ms after the deadline`, `+${late.toFixed(0)} ms`, late <= 50);
    const gone = get(w.id, 'parex', 'goneAfterDeadlineMs');
    const limit = w.graceSec * 1000 + 100;
    if (gone !== null) {
      push(
        `${w.title}: every process gone ≤ grace + 100 ms after the deadline`,
        `+${gone.toFixed(0)} ms (limit +${limit} ms)`,
        gone <= limit,
      );
    }
    const survivors = get(w.id, 'parex', 'survivors');
    if (survivors !== null) push(`${w.title}: no survivors`, `${survivors}`, survivors === 0);
  }
  const sleep = workloads.find((w) => w.kind === 'sleep');
  const sleepWall = sleep ? get(sleep.id, 'parex', 'wallMs') : null;
  if (sleepWall !== null) {
    const limit = sleep.sleepSec * 1000 + 150;
    push(`${sleep.title}: wall ≤ ${s(limit)}`, s(sleepWall), sleepWall <= limit);
  }
  if (startup !== null) {
    const { node, version } = startup;
    const ratio = version.medianMs / node.medianMs;
    const text = `${version.medianMs.toFixed(0)} ms vs ${node.medianMs.toFixed(0)} ms: ${ratio.toFixed(2)}x`;
    push('`parex --version` ≤ 1.5x `node -e 0`', text, ratio <= 1.5);
  }
  const many = workloads.find((w) => w.id === 'many');
  if (many) {
    const rss = get(many.id, 'parex', 'rssMb');
    if (rss !== null)
      push(`${many.title}: parex peak RSS < 200 MB`, `${rss.toFixed(1)} MB`, rss < 200);
    const per = get(many.id, 'parex', 'perJobMs');
    for (const id of ['true-j64', 'true-j32']) {
      const base = get(id, 'parex', 'perJobMs');
      const title = workloads.find((w) => w.id === id)?.title;
      if (per !== null && base !== null) {
        const text = `${per.toFixed(2)} vs ${base.toFixed(2)} ms per job`;
        push(
          `${many.title}: per-job wall no worse than ${title} (5% noise allowance)`,
          text,
          per <= base * 1.05,
        );
      }
    }
  }
  return out;
}
