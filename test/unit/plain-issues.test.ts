// Field errors in plain words, every one at once: what the API answers a wrong form with.
import { z } from 'zod';
import { toProblem } from '../../api/problem';
import { timeZone } from '../../runtime/config';
import { parseTaskPayload } from '../../workflows/tasks/catalogue';
import { plainIssue } from '../../workflows/tasks/issues';

describe('plain-language field errors', () => {
  test('an empty service request names the choice and the description at once, in plain words', () => {
    const check = parseTaskPayload('service_request', {});
    expect(check).toEqual({
      ok: false,
      errors: [
        { path: 'resolution', message: 'choose one of: manufacturer, internal, not required, site visit' },
        { path: 'description', message: 'required' },
      ],
    });
  });

  test('once the choice is made, only what that choice needs is asked for', () => {
    expect(parseTaskPayload('service_request', { resolution: 'site_visit', description: '' })).toEqual({
      ok: false,
      errors: [
        { path: 'jobType', message: 'choose one of: audit, replacement' },
        { path: 'description', message: 'required' },
      ],
    });
    // A field only one option needs is not demanded before the choice.
    const review = parseTaskPayload('service_review', {});
    expect(review.ok).toBe(false);
    expect(!review.ok && review.errors.map((error) => error.path)).toEqual(['outcome']);
  });

  test('zod errors anywhere in the API read as words, with a detail that counts them', () => {
    const parsed = z
      .object({ email: z.email(), name: z.string().min(1).max(5), count: z.number().max(3), tags: z.array(z.string()).min(1), when: z.iso.datetime({ offset: true }) })
      .strict()
      .safeParse({ email: 'nope', name: 'far too long', count: 9, tags: [], when: 'soon', extra: 1 });
    const problem = toProblem(parsed.error);
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([
      { path: 'email', message: 'must be an email address, like name@example.com' },
      { path: 'name', message: 'must be at most 5 characters' },
      { path: 'count', message: 'must be at most 3' },
      { path: 'tags', message: 'add at least one' },
      { path: 'when', message: 'must be a date and time' },
      { path: '', message: 'not a field of this form: extra' },
    ]);
    expect(problem.detail).toMatch(/^6 fields need attention: email: must be an email address/);
    for (const error of problem.errors ?? []) expect(error.message).not.toMatch(/Too (small|big)|expected|Invalid/);
  });

  test('the company time zone must be one the runtime knows', () => {
    expect(timeZone('Australia/Sydney', 'COMPANY_TIME_ZONE')).toBe('Australia/Sydney');
    expect(() => timeZone('Mars/Olympus', 'COMPANY_TIME_ZONE')).toThrow(/COMPANY_TIME_ZONE: Mars\/Olympus is not a time zone/);
  });
});

test("a message the schema's author wrote is kept as it is", () => {
  const nmi = z.string().regex(/^[0-9]{10}$/, 'an NMI has 10 characters');
  expect(toProblem(z.object({ nmi }).safeParse({ nmi: 'x' }).error).errors).toEqual([{ path: 'nmi', message: 'an NMI has 10 characters' }]);
  expect(toProblem(z.object({ code: z.string().regex(/^[0-9]+$/) }).safeParse({ code: 'x' }).error).errors).toEqual([{ path: 'code', message: 'is not in the expected form' }]);
});

test('a value of the wrong type is named as such, not as missing', () => {
  const parsed = z.object({ n: z.number(), b: z.boolean(), s: z.string(), gone: z.string() }).safeParse({ n: 'abc', b: 'x', s: 5 });
  expect(parsed.success).toBe(false);
  const words = Object.fromEntries(parsed.error!.issues.map((issue) => [issue.path.join('.'), plainIssue(issue)]));
  expect(words).toEqual({ n: 'must be a number', b: 'choose yes or no', s: 'must be a string', gone: 'required' });
});
