// How a project reads a failure: final or not, and in one line for the timeline.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** An activity failure no retry will heal. */
export function isFinal(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true;
}

/** The innermost cause's message. */
export function describe(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message || cause.name : String(cause);
}
