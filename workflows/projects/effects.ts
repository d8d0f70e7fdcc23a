// Outside work a kind asked for (a call to the design tool, a compensation after a
// cancel): recorded in state, run by the loop through the kind's activities, retried with
// backoff until it succeeds, also after the project closed, so a saga's compensations run
// to the end.
import { isCancellation } from '@temporalio/workflow';
import type { Effect } from './definitions';
import { describe, isFinal } from './failures';
import { SYSTEM, type Project } from './project';

export const EFFECT_RETRY = 'effect.retry';

export class OutsideWork<D> {
  constructor(private readonly p: Project<D>) {}

  enqueue(kind: string, args: Record<string, unknown> = {}): void {
    const { state } = this.p;
    const effects = (state.effects ??= []);
    state.effectSeq = (state.effectSeq ?? 0) + 1;
    effects.push({ id: `${state.projectId}-x${state.effectSeq}`, kind, args, attempts: 0 });
    this.p.rt.changed();
  }

  get pending(): boolean {
    return (this.p.state.effects?.length ?? 0) > 0;
  }

  get due(): boolean {
    return (this.p.state.effects ?? []).some((effect) => (effect.retryAt ?? 0) <= Date.now());
  }

  /**
   * Runs the due effects in order. A failure that may heal waits for its retry deadline
   * (backoff up to READ_MODEL_RETRY_MAX); one that will not (a non-retryable failure) is
   * dropped and the kind hears of it, so it can reopen the task that asked for it.
   */
  async runDue(): Promise<void> {
    const p = this.p;
    for (const effect of (p.state.effects ?? []).filter((candidate) => (candidate.retryAt ?? 0) <= Date.now())) {
      const run = p.kind.effects?.[effect.kind];
      try {
        if (run) await run(p, effect);
        this.drop(effect);
      } catch (err) {
        if (isCancellation(err)) throw err;
        effect.attempts++;
        effect.lastError = describe(err);
        if (isFinal(err)) {
          this.drop(effect);
          p.outbox.timeline('project', SYSTEM, `${effect.kind} failed for good: ${effect.lastError}`, { effect: effect.kind });
          p.kind.onEffectFailed?.(p, effect);
          continue;
        }
        effect.retryAt = Date.now() + Math.min(1000 * 2 ** Math.min(effect.attempts, 20), p.policy.readModelRetryMaxMs);
        p.deadlines.set({ id: `${effect.id}:retry`, at: effect.retryAt, kind: EFFECT_RETRY, ref: effect.id, summary: `Retry ${effect.kind}` });
        // The first failures, then every power of two: a long outage does not flood the timeline.
        if ((effect.attempts & (effect.attempts - 1)) === 0) {
          p.outbox.timeline('project', SYSTEM, `${effect.kind} failed (attempt ${effect.attempts}), retrying: ${effect.lastError}`, { effect: effect.kind });
        }
      }
    }
  }

  private drop(effect: Effect): void {
    this.p.state.effects = (this.p.state.effects ?? []).filter((candidate) => candidate.id !== effect.id);
    this.p.deadlines.clear((deadline) => deadline.ref === effect.id);
  }
}
