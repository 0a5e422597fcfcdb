// The budgets, caps and back-off of a run, behind the engine's start-admission seam: prices
// every job-usage event, warns at 80%, stops the agent jobs of a budget that is spent and
// starts none after, holds back a capped agent's jobs and a rate-limited provider's starts.
import type { AdmissionControl, AdmitVerdict, StartAdmission } from '../engine/admission.js';
import type { GroupEvent } from '../model/events.js';
import type { Spend } from '../model/outcome.js';
import type { JobResult } from '../model/result.js';
import type { SpendReport } from '../model/spend.js';
import type { PlannedJob } from '../options/normalize.js';
import { Ledger, NO_SPEND } from './accounting.js';
import { ProviderPauses } from './backoff.js';
import { BudgetLine, hasLimits } from './budget.js';
import { AgentCaps } from './caps.js';
import { PhaseEstimates } from './estimate.js';
import { rateLimitOfResult } from './rate-limit-result.js';
import { rateLimitInLine } from './rate-limits.js';
import type { BudgetSettings } from './settings.js';
import { SpendFile } from './spend-file.js';
import { spendReportOf } from './spend-report-of.js';
import { finalUsage, spendFields } from './usage-fields.js';

/** The start admission of a run with accounting, budgets, caps and back-off. */
export class SpendControl implements StartAdmission {
  private control: AdmissionControl | null = null;
  private ledger: Ledger | null = null;
  private pauses: ProviderPauses | null = null;
  private file: SpendFile | null = null;
  private readonly runLine: BudgetLine;
  private readonly phaseLines = new Map<string, BudgetLine>();
  private readonly caps: AgentCaps;
  private readonly estimates: PhaseEstimates;
  /** Agent jobs admitted and not yet ended, by name. */
  private readonly running = new Map<string, PlannedJob>();
  private readonly phaseOf = new Map<string, string>();
  private readonly agentOf = new Map<string, string>();
  /** The last rate limit a running job reported in its stream (Claude retries by itself). */
  private readonly liveLimits = new Map<string, Record<string, unknown>>();

  constructor(private readonly settings: BudgetSettings) {
    this.runLine = new BudgetLine('run', settings.run);
    for (const [phase, limits] of settings.phases) {
      if (hasLimits(limits)) this.phaseLines.set(phase, new BudgetLine(phase, limits));
    }
    this.caps = new AgentCaps(settings.caps);
    this.estimates = new PhaseEstimates(settings.soft);
  }

  /** Opened again for a later run (the PRP quality gate's re-runs), it keeps what was spent. */
  open(control: AdmissionControl): void {
    this.control = control;
    this.ledger ??= new Ledger(this.settings.prices, (message) => this.control?.warn(message));
    this.pauses ??= new ProviderPauses(() => this.control?.wake());
    const ledger = this.ledger;
    this.file = new SpendFile(control.logDir, control.runId, () => ({
      report: this.report(),
      jobs: ledger.entries(),
    }));
  }

  admit(job: PlannedJob): AdmitVerdict {
    const phase = job.spending.phase ?? job.name;
    if (job.agent === null) {
      // A command of a phase that was not started (a best-of-N phase's judge) is not either.
      const refused = job.spending.phase === undefined ? null : this.estimates.refusal(phase);
      return refused === null
        ? { kind: 'start' }
        : { kind: 'refuse', outcome: 'budget', reason: refused };
    }
    const lines = this.linesOf(phase);
    const spent = lines.find((line) => line.reached);
    if (spent !== undefined) {
      return { kind: 'refuse', outcome: 'budget', reason: spent.reason() };
    }
    if ((this.pauses?.remainingMs(job.agent) ?? 0) > 0 || !this.caps.allows(job.agent)) {
      return { kind: 'wait' };
    }
    const shortfall = this.estimates.check(job, phase, lines, (line) => this.spentIn(line));
    if (shortfall !== null) {
      if (!this.settings.soft) return { kind: 'refuse', outcome: 'budget', reason: shortfall };
      this.control?.warn(`[parex] ${shortfall}; starting it anyway (--budget-soft)`);
    }
    this.caps.take(job.agent);
    this.running.set(job.name, job);
    this.phaseOf.set(job.name, phase);
    this.agentOf.set(job.name, job.agent);
    return { kind: 'start' };
  }

  observe(event: GroupEvent): void {
    if (event.type === 'job-start' && this.running.has(event.name)) {
      this.ledger?.startAttempt(event.name);
    } else if (event.type === 'job-usage') {
      const job = this.running.get(event.name);
      if (job !== undefined) this.account(job, event.usage);
    }
  }

  completed(job: PlannedJob, result: JobResult): JobResult {
    if (job.agent === null || this.ledger === null) return result;
    const usage = finalUsage(result.details, this.ledger.current(job.name));
    if (usage !== null) this.account(job, usage);
    const spent = this.ledger.current(job.name);
    const details: Record<string, unknown> = {
      ...spendFields(spent),
      // The phase whose budget it counts against, when that is not the job itself (a candidate).
      ...(spent !== null && this.phaseOf.get(job.name) !== job.name
        ? { budget_phase: this.phaseOf.get(job.name) }
        : {}),
    };
    // A rate limit seen while the job ran has paused its provider already.
    const live = this.liveLimits.get(job.name);
    const limited =
      result.outcome === 'success' || live !== undefined ? null : rateLimitOfResult(result);
    if (limited !== null) details.rate_limited = this.pause(job, limited.waitMs, limited.source);
    else if (live !== undefined) details.rate_limited = live;
    if (result.outcome === 'success') this.pauses?.succeeded(job.agent);
    this.liveLimits.delete(job.name);
    const reached = this.linesOf(this.phaseOf.get(job.name) ?? job.name).find(
      (line) => line.reached,
    );
    const reason = result.outcome === 'budget' ? (reached?.reason() ?? null) : result.reason;
    return { ...result, reason, details: { ...result.details, ...details } };
  }

  /** One line of a running agent job's log: what an agent reports while it retries by itself
   * (Claude's rate_limit_event and api_retry, Codex's error events) pauses its provider at once. */
  watchLine(name: string, line: string): void {
    const job = this.running.get(name);
    if (
      job === undefined ||
      !(
        line.startsWith('{"type":"rate_limit_event"') ||
        line.startsWith('{"type":"error"') ||
        line.includes('"api_retry"')
      )
    )
      return;
    const found = rateLimitInLine(line);
    if (found !== null) this.liveLimits.set(name, this.pause(job, found.waitMs, found.source));
  }

  retryWaitMs(job: PlannedJob): number {
    return this.pauses?.remainingMs(job.agent) ?? 0;
  }

  ended(job: PlannedJob, _result: JobResult): void {
    if (!this.running.delete(job.name)) return;
    this.estimates.finished(
      this.phaseOf.get(job.name) ?? job.name,
      this.ledger?.job(job.name) ?? null,
    );
    if (this.caps.release(job.agent)) this.control?.wake();
  }

  close(): void {
    this.pauses?.close();
    this.file?.close();
  }

  agentCaps(): ReadonlyMap<string, number> {
    return this.settings.caps;
  }

  report(): SpendReport {
    // Jobs in the order they were let start (the plan's order among jobs ready at once), so
    // that the summary lists phases the same way however their first tokens raced.
    const order = new Map([...this.phaseOf.keys()].map((name, index) => [name, index]));
    const rank = (name: string) => order.get(name) ?? order.size;
    return spendReportOf({
      jobs: [...(this.ledger?.entries() ?? [])].sort(([a], [b]) => rank(a) - rank(b)),
      run: this.ledger?.run() ?? NO_SPEND,
      agentOf: (name) => this.agentOf.get(name) ?? 'agent',
      phaseOf: (name) => this.phaseOf.get(name) ?? name,
      runLine: this.runLine,
      phaseLines: this.phaseLines,
      pricesAsOf: this.settings.prices.asOf,
    });
  }

  /** Prices a job's cumulative usage, reports it, and acts on any budget line it crosses. */
  private account(job: PlannedJob, usage: Parameters<Ledger['record']>[1]): void {
    const { ledger, control } = this;
    if (ledger === null || control === null) return;
    const spend = ledger.record(job.name, usage, job.spending.model ?? null);
    control.emit({ type: 'usage', name: job.name, at: new Date(), job: spend, run: ledger.run() });
    this.file?.changed();
    for (const line of this.linesOf(this.phaseOf.get(job.name) ?? job.name)) {
      const wasReached = line.reached;
      for (const event of line.check(this.spentIn(line))) control.emit(event);
      if (!wasReached && line.reached) this.stopScope(line);
    }
  }

  /** A budget is spent: its running agent jobs are stopped, its queued ones refused. */
  private stopScope(line: BudgetLine): void {
    for (const name of this.running.keys()) {
      if (line.scope === 'run' || this.phaseOf.get(name) === line.scope) {
        this.control?.stop(name, 'budget');
      }
    }
    this.control?.wake();
  }

  private pause(job: PlannedJob, waitMs: number | null, source: string): Record<string, unknown> {
    const provider = job.agent ?? 'command';
    const wait = this.pauses?.pause(provider, waitMs) ?? 0;
    if (wait > 0) {
      const until = new Date(Date.now() + wait);
      const reason = 'rate limit';
      this.control?.emit({
        type: 'provider-pause',
        provider,
        at: new Date(),
        waitMs: wait,
        until,
        name: job.name,
        reason,
      });
    }
    return {
      provider,
      wait_ms: wait > 0 ? wait : (this.pauses?.remainingMs(provider) ?? 0),
      source,
    };
  }

  private linesOf(phase: string): BudgetLine[] {
    const phaseLine = this.phaseLines.get(phase);
    return phaseLine === undefined ? [this.runLine] : [this.runLine, phaseLine];
  }

  private spentIn(line: BudgetLine): Spend {
    const ledger = this.ledger;
    if (ledger === null) return NO_SPEND;
    return line.scope === 'run'
      ? ledger.run()
      : ledger.sum((name) => this.phaseOf.get(name) === line.scope);
  }
}
