// Bounds on the shape of a JSON body, checked once it is parsed and before anything walks
// it: task payloads are small (a checklist's answers, a few assets), but a body of 1 MB
// can nest a hundred thousand levels or hold a hundred thousand items, which recursive
// code (hashing for Idempotency-Key, Temporal's payload conversion) would choke on.
import type { RequestHandler } from 'express';
import { badRequest } from './problem';

export const MAX_BODY_DEPTH = 32;
export const MAX_BODY_VALUES = 5_000;

/** NUL or a lone UTF-16 surrogate: PostgreSQL stores neither, so a body holding one is refused up front. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why the value breaks the bounds, or undefined. Iterative, so depth itself cannot overflow it. */
export function bodyShapeProblem(body: unknown, maxDepth = MAX_BODY_DEPTH, maxValues = MAX_BODY_VALUES): string | undefined {
  const stack: [unknown, number][] = [[body, 0]];
  let values = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && UNSTORABLE.test(value)) return 'holding text that cannot be stored (a NUL character or a broken UTF-16 surrogate)';
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value) && Object.keys(value).some((key) => UNSTORABLE.test(key))) return 'holding a key that cannot be stored (a NUL character or a broken UTF-16 surrogate)';
    if (depth >= maxDepth) return `nested deeper than ${maxDepth} levels`;
    const children = Array.isArray(value) ? value : Object.values(value);
    values += children.length;
    if (values > maxValues) return `more than ${maxValues} values`;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}

export const boundedBody: RequestHandler = (req, _res, next) => {
  const problem = req.body === undefined ? undefined : bodyShapeProblem(req.body);
  next(problem ? badRequest(`the body is ${problem}`, [{ path: '', message: problem }]) : undefined);
};

/** A NUL (`%00`) in the path or the query: PostgreSQL cannot take it as text, so it is a 400 up front. */
export const storableUrl: RequestHandler = (req, _res, next) => {
  const nul = /%00|\u0000/i.test(req.originalUrl);
  next(nul ? badRequest('the address holds a NUL character (%00)', [{ path: 'url', message: 'NUL is not allowed' }]) : undefined);
};
