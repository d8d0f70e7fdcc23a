import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { decodeCursor, encodeCursor, page } from '../../api/paging';
import { toProblem } from '../../api/problem';
import { ErrorType } from '../../workflows/errors';

describe('errors become problems', () => {
  const rejected = (type: string, details?: unknown[]) =>
    new WorkflowUpdateFailedError('rejected', ApplicationFailure.create({ type, message: 'm', details, nonRetryable: true }));

  test('workflow rejections, zod errors and missing workflows', () => {
    expect(toProblem(rejected(ErrorType.TaskNotOpen)).status).toBe(409);
    expect(toProblem(rejected(ErrorType.ProjectClosed)).status).toBe(409);
    const invalid = toProblem(rejected(ErrorType.InvalidPayload, [[{ path: 'outcome', message: 'required' }]]));
    expect({ status: invalid.status, errors: invalid.errors }).toEqual({ status: 400, errors: [{ path: 'outcome', message: 'required' }] });
    const parsed = z.object({ a: z.string() }).safeParse({});
    expect(toProblem(parsed.error).errors).toEqual([{ path: 'a', message: expect.any(String) }]);
    expect(toProblem(new WorkflowNotFoundError('gone', 'wf', undefined)).status).toBe(409);
    expect(toProblem(Object.assign(new Error('x'), { code: 14 })).status).toBe(503);
    expect(toProblem(new Error('boom')).status).toBe(500);
  });

  test('PostgreSQL away is 503 too, also when wrapped as the cause of a failed query', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(toProblem(shutdown).status).toBe(503);
    expect(toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).status).toBe(503);
    expect(toProblem(new Error('Failed query: select 1', { cause: new Error('Connection terminated unexpectedly') })).status).toBe(503);
    expect(toProblem(Object.assign(new Error('duplicate key'), { code: '23505' })).status).toBe(500);
  });

  test("an update cancelled at the API's own deadline (no worker took it) is 503", () => {
    expect(toProblem(new WorkflowUpdateRPCTimeoutOrCancelledError('Call cancelled', { cause: Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 }) })).status).toBe(503);
  });

  test('an update refused while the workflow task is in failed state (a worker killed or starved mid-task) is 503, not 500', () => {
    const refused = Object.assign(new Error('Unable to perform workflow execution update due to Workflow Task in failed state.'), { code: 9 });
    expect(toProblem(refused).status).toBe(503);
    expect(toProblem(new Error('Workflow Update failed: 9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.')).status).toBe(503);
    expect(toProblem(Object.assign(new Error('some other precondition'), { code: 9 })).status).toBe(500);
  });

  test('an update an older worker does not know yet (a rolling deploy) is 503', () => {
    const unknown = new WorkflowUpdateFailedError('rejected', ApplicationFailure.create({ message: 'No registered handler for update: scheduleJobUpdate', nonRetryable: true }));
    expect(toProblem(unknown).status).toBe(503);
  });
});

describe('paging', () => {
  test('a cursor round-trips, and a page knows when there is more', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'id-1']))).toEqual(['2026-01-01T00:00:00.000Z', 'id-1']);
    expect(() => decodeCursor('%%%')).toThrow();
    expect(page([1, 2, 3], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: encodeCursor([2]) });
    expect(page([1, 2], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: null });
  });
});
