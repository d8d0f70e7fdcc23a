// Deadlines as data: absolute times in the ledger, served by one timer. Because they are
// absolute, neither an unrelated signal nor a continue-as-new moves them.
import { sleep } from '@temporalio/workflow';
import type { Deadline, LedgerState } from './ledger';

export class Deadlines {
  /** Times of the timers this run has started that have not fired yet. */
  private running: number[] = [];
  private rang = false;

  constructor(private readonly ledger: LedgerState) {}

  get all(): readonly Deadline[] {
    return this.ledger.deadlines;
  }

  /** Adds a deadline, replacing one with the same id. */
  set(deadline: Deadline): void {
    this.clear((candidate) => candidate.id === deadline.id);
    this.ledger.deadlines.push(deadline);
  }

  clear(predicate: (deadline: Deadline) => boolean): void {
    this.ledger.deadlines = this.ledger.deadlines.filter((deadline) => !predicate(deadline));
  }

  has(predicate: (deadline: Deadline) => boolean): boolean {
    return this.ledger.deadlines.some(predicate);
  }

  /** True once a timer has fired since the last `takeDue`. */
  get woke(): boolean {
    return this.rang;
  }

  /**
   * Makes sure a timer fires at or before the earliest of the deadlines and `extra`
   * (the read model's retry). A timer already running for an earlier time is kept, and
   * one running for a later time is left to fire and find nothing: timers are never
   * cancelled, so a wait that ends early costs no history events.
   */
  arm(extra?: number): void {
    let next: Deadline | undefined;
    for (const deadline of this.ledger.deadlines) if (!next || deadline.at < next.at) next = deadline;
    const at = Math.min(next?.at ?? Infinity, extra ?? Infinity);
    if (at === Infinity || this.running.some((time) => time <= at)) return;
    this.running.push(at);
    const summary = next && next.at === at ? next.summary : 'Retry the read-model write';
    sleep(Math.max(1, at - Date.now()), { summary })
      .then(() => {
        this.running = this.running.filter((time) => time !== at);
        this.rang = true;
      })
      // A cancelled workflow cancels its timers; the owner handles the cancellation itself.
      .catch(() => undefined);
  }

  /** Removes and returns the deadlines whose time has come, earliest first. */
  takeDue(): Deadline[] {
    this.rang = false;
    const now = Date.now();
    const due = this.ledger.deadlines.filter((deadline) => deadline.at <= now).sort((a, b) => a.at - b.at);
    if (due.length) this.clear((deadline) => deadline.at <= now);
    return due;
  }
}
