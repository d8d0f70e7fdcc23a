// problem+json (RFC 9457) for every error, mapped in one place.
import type { ErrorRequestHandler, Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { ErrorType } from '../workflows/errors';
import { plainIssues } from '../workflows/tasks/issues';

export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new Problem(400, 'Bad request', detail, errors);
export const unauthorized = (detail = 'a valid bearer token is required') => new Problem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new Problem(403, 'Forbidden', detail);
export const notFound = (detail: string) => new Problem(404, 'Not found', detail);
export const conflict = (detail: string) => new Problem(409, 'Conflict', detail);
export const unavailable = (detail: string) => new Problem(503, 'Service unavailable', detail);

/** zod's findings in plain words, every one at once (see workflows/tasks/issues.ts). */
export const zodErrors = (error: z.ZodError): FieldError[] => plainIssues(error.issues);

/** A problem's detail for field errors: how many, and which, in one line people can read. */
export function fieldsDetail(errors: FieldError[]): string {
  const named = errors.map((error) => `${error.path || 'the request'}: ${error.message}`);
  return `${errors.length === 1 ? 'One field needs' : `${errors.length} fields need`} attention: ${named.join('; ')}`;
}

/** Seconds a client should wait before retrying a 503 (Temporal or PostgreSQL away). */
export const RETRY_AFTER_SECONDS = 2;

export function sendProblem(res: Response, problem: Problem): void {
  if (problem.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `https://fieldflow.dev/problems/${problem.status}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.errors?.length ? { errors: problem.errors } : {}),
    });
}

/** Turns what the workflows and libraries throw into the contract's errors. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof z.ZodError) {
    const errors = zodErrors(err);
    return badRequest(fieldsDetail(errors), errors);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    if (failure.type === ErrorType.InvalidPayload) {
      const errors = (failure.details?.[0] as FieldError[] | undefined) ?? [];
      return badRequest(failure.message, errors);
    }
    if (failure.type === ErrorType.ProtocolIncomplete) {
      return new Problem(409, 'Conflict', failure.message, (failure.details?.[0] as FieldError[] | undefined) ?? []);
    }
    if (failure.type === ErrorType.UnknownItem) return notFound(failure.message);
    if (failure.type === ErrorType.FieldWorkConflict) return conflict(failure.message);
    if (failure.type === ErrorType.TaskNotOpen || failure.type === ErrorType.ProjectClosed || failure.type === ErrorType.JobTaken) {
      return conflict(failure.message);
    }
    if (failure.type === ErrorType.NotAllowed) return forbidden(failure.message);
    // A worker still on the code before this update existed (a rolling deploy, API first):
    // the next worker knows it, so this is a retry later, not our 500.
    if (/No registered handler for update/i.test(failure.message)) return unavailable('this action is being deployed; retry with the same Idempotency-Key in a moment');
  }
  if (err instanceof WorkflowNotFoundError) return conflict('the workflow that owned this is no longer running');
  const anyErr = err as { type?: string; status?: number; code?: string | number; name?: string };
  if (anyErr?.type === 'entity.too.large' || anyErr?.code === 'LIMIT_FILE_SIZE') return new Problem(413, 'Payload too large', 'the upload is larger than allowed');
  if (anyErr?.type === 'entity.parse.failed') return badRequest('the body is not valid JSON');
  if (anyErr?.name === 'MulterError') return badRequest(String((err as Error).message));
  if (isUnavailable(err)) return unavailable('a dependency did not answer in time; retry with the same Idempotency-Key, nothing was lost');
  return new Problem(500, 'Internal server error', 'something went wrong on our side');
}

function isUnavailable(err: unknown, depth = 0): boolean {
  const e = err as { code?: number | string; name?: string; message?: string; cause?: unknown };
  // gRPC DEADLINE_EXCEEDED (4) and UNAVAILABLE (14); PostgreSQL shutting down or starting
  // (class 57P: admin/crash shutdown, cannot connect now) or a lost connection (08*).
  if (e?.code === 4 || e?.code === 14 || e?.name === 'ServiceError') return true;
  // An update that outlived UPDATE_TIMEOUT: the client cancels the call at the deadline
  // (CANCELLED, not DEADLINE_EXCEEDED), e.g. while no worker polls. The update may still
  // be applied later; a retry with the same key gets its answer.
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  // The server refuses updates while the workflow's last task failed or timed out (a worker
  // killed or starved mid-task, FAILED_PRECONDITION); its next attempt clears that, so a
  // retry with the same key goes through.
  if (/Workflow Task in failed state/i.test(e?.message ?? '')) return true;
  if (typeof e?.code === 'string' && (/^57P0[1-3]$/.test(e.code) || /^08/.test(e.code) || /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$/.test(e.code))) return true;
  if (/ECONNREFUSED|ECONNRESET|deadline|timeout|Connection terminated|connection (is )?(closed|ended)|the database system is (starting up|shutting down)/i.test(e?.message ?? '')) return true;
  // drizzle wraps the driver's error ("Failed query: …") with the original as its cause.
  return depth < 5 && e?.cause !== undefined && isUnavailable(e.cause, depth + 1);
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = toProblem(err);
  if (problem.status >= 500) req.log?.error({ err }, 'request failed');
  sendProblem(res, problem);
};
