// Checklist templates in the database: the shipped version 1 of each (written at start-up
// when missing), one version by number or the current one, and an admin's edit as the
// next version.
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db';
import { checklistTemplates } from '../../db/schema';
import { taskSchema } from '../../workflows/tasks/catalogue';
import { canonicalJson } from '../idempotency';
import { conflict } from '../problem';
import { answersSchema, CHECKLIST_TASK_TYPES, type ChecklistItem, type ChecklistTemplateBody } from './items';
import { SHIPPED_TEMPLATES } from './shipped';

export type TemplateRow = typeof checklistTemplates.$inferSelect;

export interface Template {
  taskType: string;
  version: number;
  title: string;
  items: ChecklistItem[];
  createdBy: string;
  createdAt: string;
}

export const templateView = (row: TemplateRow): Template => ({
  taskType: row.taskType,
  version: row.version,
  title: row.title,
  items: row.items as ChecklistItem[],
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
});

/** Writes version 1 of every shipped template that is not there yet; safe to run from every process at every start. */
export async function ensureShippedTemplates(db: Db): Promise<void> {
  await db
    .insert(checklistTemplates)
    .values(CHECKLIST_TASK_TYPES.map((taskType) => ({ taskType, version: 1, title: SHIPPED_TEMPLATES[taskType].title, items: SHIPPED_TEMPLATES[taskType].items, createdBy: 'system' })))
    .onConflictDoNothing();
}

/** One version of a template, or the current one when no version is given. */
export async function findTemplate(db: Db, taskType: string, version?: number): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(checklistTemplates)
    .where(and(eq(checklistTemplates.taskType, taskType), version === undefined ? undefined : eq(checklistTemplates.version, version)))
    .orderBy(desc(checklistTemplates.version))
    .limit(1);
  return row;
}

/** The current version of every template. */
export async function currentTemplates(db: Db): Promise<TemplateRow[]> {
  return db
    .selectDistinctOn([checklistTemplates.taskType])
    .from(checklistTemplates)
    .orderBy(checklistTemplates.taskType, desc(checklistTemplates.version));
}

export async function templateVersions(db: Db, taskType: string) {
  return db
    .select({ version: checklistTemplates.version, createdBy: checklistTemplates.createdBy, createdAt: checklistTemplates.createdAt })
    .from(checklistTemplates)
    .where(eq(checklistTemplates.taskType, taskType))
    .orderBy(desc(checklistTemplates.version));
}

const sameContent = (row: TemplateRow, title: string, items: ChecklistItem[]) => row.title === title && canonicalJson(row.items) === canonicalJson(items);

/**
 * An edit: the next version, unless it says exactly what the current one says (a retried
 * PUT makes no second version). Two edits at once: one wins, the other is 409.
 */
export async function saveTemplate(db: Db, taskType: string, body: ChecklistTemplateBody, userId: string): Promise<{ row: TemplateRow; created: boolean }> {
  const current = await findTemplate(db, taskType);
  if (body.baseVersion !== undefined && current && body.baseVersion !== current.version) {
    throw conflict(`version ${current.version} was saved after version ${body.baseVersion}: reload and edit again`);
  }
  const title = body.title ?? current?.title ?? taskType;
  if (current && sameContent(current, title, body.items)) return { row: current, created: false };
  const [row] = await db
    .insert(checklistTemplates)
    .values({ taskType, version: sql`(SELECT coalesce(max(version), 0) + 1 FROM checklist_templates WHERE task_type = ${taskType})`, title, items: body.items, createdBy: userId })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict('someone else saved this template at the same time: reload and edit again');
  return { row, created: true };
}

type BaseSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };
const baseSchemas = new Map<string, BaseSchema>();

/**
 * The JSON Schema of a task's payload: the catalogue's, with `answers` built from the
 * task's template version for a checklist that has one.
 */
export function payloadSchema(type: string, template?: Pick<TemplateRow, 'items' | 'title' | 'version'>): Record<string, unknown> | undefined {
  const schema = taskSchema(type);
  if (!schema) return undefined;
  let json = baseSchemas.get(type);
  if (!json) baseSchemas.set(type, (json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as BaseSchema));
  if (!template || !json.properties) return json;
  return {
    ...json,
    properties: { ...json.properties, answers: { ...answersSchema(template.items as ChecklistItem[], template.title), 'x-templateVersion': template.version } },
    required: [...new Set([...(json.required ?? []), 'answers'])],
  };
}
