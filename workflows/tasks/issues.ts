// zod's findings said the way a form says them ("required", "choose one of: audit,
// replacement"), every one at once. Shared by the task catalogue (the API and the update
// validators parse payloads with it) and the API's problem mapping; no other imports.
import type { z } from 'zod';

export interface PlainIssue {
  path: string;
  message: string;
}

const listed = (values: readonly unknown[]): string => values.map((value) => String(value).replaceAll('_', ' ')).join(', ');

const formats: Record<string, string> = {
  email: 'must be an email address, like name@example.com',
  datetime: 'must be a date and time',
  date: 'must be a date',
  url: 'must be a web address',
  uuid: 'must be an id',
};

/** How zod's own messages begin; any other message was written for people. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized key|Expected|Required$|Number must|String must|Array must)/;

/** One issue in plain words; a message written for people (a refinement's) stays as it is. */
export function plainIssue(issue: z.core.$ZodIssue): string {
  // A message the schema's author wrote ("an NMI has 10 characters…") already speaks plainly.
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // zod keeps no input on a finished issue; its message says what it received.
      if (/received (undefined|null)\b/.test(issue.message) || (!/received/.test(issue.message) && (issue.input === undefined || issue.input === null))) return 'required';
      return issue.expected === 'number' ? 'must be a number' : issue.expected === 'boolean' ? 'choose yes or no' : issue.expected === 'array' ? 'must be a list' : `must be ${issue.expected === 'object' ? 'a group of fields' : `a ${issue.expected}`}`;
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? 'required' : `must be at least ${minimum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return minimum <= 1 ? 'add at least one' : `add at least ${minimum}`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${minimum}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `at most ${maximum} allowed`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${maximum}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${listed(issue.values)}` : `choose one of: ${listed(issue.values)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options?.length ? `choose one of: ${listed(options)}` : 'does not fit any of the allowed forms';
    }
    case 'invalid_format':
      return formats[issue.format] ?? (issue.format === 'regex' ? 'is not in the expected form' : `must be a valid ${issue.format}`);
    case 'unrecognized_keys':
      return `not a field of this form: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

export const plainIssues = (issues: readonly z.core.$ZodIssue[]): PlainIssue[] => issues.map((issue) => ({ path: issue.path.join('.'), message: plainIssue(issue) }));

/**
 * Every issue of a payload at once. A discriminated union whose choice is missing reports
 * only the choice; the fields every option needs are then reported too (those the payload
 * lacks whichever option is chosen), so a form shows all its mistakes in one answer.
 */
export function allIssues(schema: z.ZodType, payload: unknown, issues: readonly z.core.$ZodIssue[]): PlainIssue[] {
  const found = plainIssues(issues);
  const choice = issues.find((issue) => issue.code === 'invalid_union' && issue.path.length === 1 && Array.isArray((issue as { options?: unknown[] }).options));
  if (!choice || !payload || typeof payload !== 'object' || Array.isArray(payload)) return found;
  const key = String(choice.path[0]);
  const options = (choice as { options: unknown[] }).options;
  let common: Map<string, string> | undefined;
  for (const option of options) {
    const attempt = schema.safeParse({ ...(payload as Record<string, unknown>), [key]: option });
    const paths = new Map<string, string>(attempt.success ? [] : plainIssues(attempt.error.issues).map((issue) => [issue.path, issue.message]));
    common = common ? new Map([...common].filter(([path]) => paths.has(path))) : paths;
  }
  for (const [path, message] of common ?? []) if (path !== key && !found.some((issue) => issue.path === path)) found.push({ path, message });
  return found;
}
