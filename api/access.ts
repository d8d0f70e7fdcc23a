// Who may see a project: staff see all, a customer their own, an installer those with
// work for installers in them.
import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../db';
import { jobs, projects, tasks } from '../db/schema';
import { STAFF, type User } from './auth';
import { forbidden, notFound } from './problem';

export const installerGroup = 'group:installer';

export async function visibleProject(db: Db, user: User, projectId: string) {
  const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!row) throw notFound(`no project ${projectId}`);
  if (STAFF.includes(user.role)) return row;
  if (user.role === 'customer' && row.customerId === user.customerId) return row;
  if (user.role === 'installer' && (await installerWorksOn(db, user.id, projectId))) return row;
  throw forbidden('this project is not yours');
}

async function installerWorksOn(db: Db, userId: string, projectId: string): Promise<boolean> {
  const [job] = await db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.projectId, projectId), eq(jobs.installerId, userId))).limit(1);
  if (job) return true;
  const [task] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), or(eq(tasks.assignee, userId), eq(tasks.assignee, installerGroup))))
    .limit(1);
  return Boolean(task);
}

/** The assignees that count as "me": the user and the groups of their role. */
export function myAssignees(user: User): string[] {
  const groups: Record<string, string[]> = {
    admin: ['group:ops', 'group:supervisor', 'group:installer'],
    supervisor: ['group:ops', 'group:supervisor'],
    ops: ['group:ops'],
    installer: [installerGroup],
    customer: [],
  };
  return [user.id, ...(groups[user.role] ?? [])];
}
