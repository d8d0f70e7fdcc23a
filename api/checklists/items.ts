// A checklist template's items: what an admin may write (zod, for PUT and the OpenAPI
// document), the JSON Schema a task's answers must fit, and the server's check of the
// answers against the items, which names every bad item at once in people's words.
import { z } from 'zod';

/** The task types whose payload carries `answers` checked against a template. */
export const CHECKLIST_TASK_TYPES = [
  'inspection_checklist',
  'audit_checklist',
  'pre_start_checklist',
  'testing_commissioning',
  'pre_installation_checklist',
  'roof_works',
  'system_installation',
  'commissioning_sheet',
] as const;
export type ChecklistTaskType = (typeof CHECKLIST_TASK_TYPES)[number];
export const isChecklistType = (type: string): type is ChecklistTaskType => (CHECKLIST_TASK_TYPES as readonly string[]).includes(type);

export const ITEM_TYPES = ['pass_fail_na', 'number', 'text', 'choice', 'photo', 'signature'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

const base = {
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter')
    .meta({ description: 'Key of the answer; stays the same across versions for the same question' }),
  label: z.string().trim().min(1).max(200).meta({ description: 'The question as the installer reads it' }),
  required: z.boolean(),
  help: z.string().trim().max(500).optional().meta({ description: 'A hint shown under the question' }),
};

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const ChecklistItem = z
  .discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('pass_fail_na').meta({ description: 'Pass, fail or not applicable; a comment is required on fail' }) }).strict(),
    z
      .object({
        ...base,
        type: z.literal('number'),
        unit: z.string().trim().min(1).max(20).optional().meta({ description: 'e.g. V, MΩ, kW' }),
        min: finite.optional(),
        max: finite.optional(),
      })
      .strict()
      .refine((item) => item.min === undefined || item.max === undefined || item.min <= item.max, { path: ['max'], message: 'max must not be below min' }),
    z.object({ ...base, type: z.literal('text') }).strict(),
    z
      .object({
        ...base,
        type: z.literal('choice'),
        options: z
          .array(z.string().trim().min(1).max(100))
          .min(1)
          .max(50)
          .refine((options) => new Set(options).size === options.length, 'options must be different from each other'),
      })
      .strict(),
    z.object({ ...base, type: z.literal('photo').meta({ description: 'The id of an image uploaded to the project' }) }).strict(),
    z.object({ ...base, type: z.literal('signature').meta({ description: 'The id of a PNG drawn on the phone and uploaded to the project' }) }).strict(),
  ])
  .meta({ id: 'ChecklistItem' });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const ChecklistTemplateBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional().meta({ description: "Defaults to the current version's title" }),
    items: z
      .array(ChecklistItem)
      .min(1)
      .max(200)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((item, index) => {
          if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `the id ${item.id} is used twice` });
          seen.add(item.id);
        });
      }),
    baseVersion: z.number().int().min(1).optional().meta({ description: 'The version this edit starts from; 409 when another edit came first' }),
  })
  .strict()
  .meta({ id: 'ChecklistTemplateBody' });
export type ChecklistTemplateBody = z.infer<typeof ChecklistTemplateBody>;

export const PASS_FAIL_NA = ['pass', 'fail', 'na'] as const;

/** The JSON Schema of one answer; `x-itemType`, `x-unit` tell a form which control to draw. */
function answerSchema(item: ChecklistItem): Record<string, unknown> {
  const common = { title: item.label, ...(item.help ? { description: item.help } : {}), 'x-itemType': item.type };
  switch (item.type) {
    case 'pass_fail_na':
      return {
        ...common,
        type: 'object',
        properties: { result: { type: 'string', enum: [...PASS_FAIL_NA] }, comment: { type: 'string', maxLength: 2000 } },
        required: ['result'],
        additionalProperties: false,
        if: { properties: { result: { const: 'fail' } } },
        then: { required: ['comment'], properties: { comment: { minLength: 1 } } },
      };
    case 'number':
      return { ...common, type: 'number', ...(item.unit ? { 'x-unit': item.unit } : {}), ...(item.min !== undefined ? { minimum: item.min } : {}), ...(item.max !== undefined ? { maximum: item.max } : {}) };
    case 'text':
      return { ...common, type: 'string', minLength: 1, maxLength: 2000 };
    case 'choice':
      return { ...common, type: 'string', enum: item.options };
    case 'photo':
    case 'signature':
      return { ...common, type: 'string', minLength: 1, 'x-document': item.type === 'photo' ? 'image' : 'image/png' };
  }
}

/** The JSON Schema of `answers` for these items. */
export function answersSchema(items: ChecklistItem[], title?: string): Record<string, unknown> {
  return {
    type: 'object',
    ...(title ? { title } : {}),
    'x-checklist': true,
    properties: Object.fromEntries(items.map((item) => [item.id, answerSchema(item)])),
    required: items.filter((item) => item.required).map((item) => item.id),
    additionalProperties: false,
  };
}

export interface AnswerError {
  path: string;
  message: string;
}

/** What a photo or signature answer names: the document's content type, if it is on the project. */
export type DocumentTypes = Map<string, string>;

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && !value.trim());
const isRecord = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** The document ids the answers name for photo and signature items (to look up before `checkAnswers`). */
export function documentIdsOf(items: ChecklistItem[], answers: Record<string, unknown>): string[] {
  return items.filter((item) => item.type === 'photo' || item.type === 'signature').flatMap((item) => (typeof answers[item.id] === 'string' ? [answers[item.id] as string] : []));
}

/**
 * Every way the answers miss the items, one error per item: required items left out,
 * values of the wrong kind, numbers out of range, a fail without its comment, ids that
 * are no item, and photos or signatures that are not images on this project.
 */
export function checkAnswers(items: ChecklistItem[], answers: Record<string, unknown>, documents: DocumentTypes): AnswerError[] {
  const errors: AnswerError[] = [];
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of items) {
    const value = answers[item.id];
    const say = (message: string) => errors.push({ path: `answers.${item.id}`, message: `${item.label}: ${message}` });
    if (blank(value) || (item.type === 'pass_fail_na' && isRecord(value) && blank(value.result))) {
      if (item.required) say('required');
      continue;
    }
    switch (item.type) {
      case 'pass_fail_na': {
        if (!isRecord(value) || !(PASS_FAIL_NA as readonly unknown[]).includes(value.result)) {
          say('answer pass, fail or n/a ({"result": "pass" | "fail" | "na", "comment"?})');
          break;
        }
        const extra = Object.keys(value).filter((key) => key !== 'result' && key !== 'comment');
        if (extra.length) say(`unexpected ${extra.join(', ')}`);
        else if (value.comment !== undefined && (typeof value.comment !== 'string' || value.comment.length > 2000)) say('the comment must be text of at most 2000 characters');
        else if (value.result === 'fail' && blank(value.comment)) say('a comment is required when it fails');
        break;
      }
      case 'number': {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          say('must be a number');
          break;
        }
        const unit = item.unit ? ` ${item.unit}` : '';
        if (item.min !== undefined && value < item.min) say(`must be at least ${item.min}${unit}`);
        else if (item.max !== undefined && value > item.max) say(`must be at most ${item.max}${unit}`);
        break;
      }
      case 'text':
        if (typeof value !== 'string') say('must be text');
        else if (value.length > 2000) say('at most 2000 characters');
        break;
      case 'choice':
        if (typeof value !== 'string' || !item.options.includes(value)) say(`choose one of ${item.options.join(', ')}`);
        break;
      case 'photo':
      case 'signature': {
        const what = item.type === 'photo' ? 'a photo' : 'a signature';
        const type = typeof value === 'string' ? documents.get(value) : undefined;
        if (typeof value !== 'string') say(`must name ${what} uploaded to this project`);
        else if (type === undefined) say(`no document ${value} on this project`);
        else if (item.type === 'photo' ? !type.startsWith('image/') : type !== 'image/png') say(`${value} is not ${item.type === 'photo' ? 'an image' : 'a PNG image'}`);
        break;
      }
    }
  }
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) errors.push({ path: `answers.${id}`, message: `${id}: not an item of this checklist` });
  }
  return errors;
}
