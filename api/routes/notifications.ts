// A person's notifications: what the kernel's deadlines told them (a task overdue, one
// escalated), newest first, with how many they have not read. The workflows write the
// rows (recipient: a user id, `group:<role>` or a staff group's `group:<id>`); who has read one is kept per person, so
// one supervisor reading an escalation leaves it unread for the others.
import { and, count, desc, eq, inArray, lt, lte, notExists, or, sql, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import type { Db } from '../../db';
import { jobs, notificationReads, notifications, projects, staffGroupMembers, tasks } from '../../db/schema';
import { installerGroup } from '../access';
import { currentUser, type User } from '../auth';
import type { ApiDeps } from '../deps';
import { cursorTime, decodeCursor, page } from '../paging';
import { notFound } from '../problem';
import { NotificationQuery, ReadAllBody } from '../supervision-schemas';

/**
 * The notifications a user may see: those sent to them, and those sent to their group. An
 * admin also hears the supervisors' escalations (they may do a supervisor's work). An
 * installer hears of the installers' group only for the tasks of their own jobs: another
 * job's overdue checklist is none of theirs. A customer has no group.
 */
export function notificationScope(db: Db, user: User): SQL {
  const mine = eq(notifications.recipient, user.id);
  if (user.role === 'installer') {
    const ofMyJobs = db.select({ id: tasks.id }).from(tasks).innerJoin(jobs, eq(jobs.id, tasks.jobId)).where(eq(jobs.installerId, user.id));
    return or(mine, and(eq(notifications.recipient, installerGroup), inArray(notifications.taskId, ofMyJobs)))!;
  }
  if (user.role === 'customer') return mine;
  const groups = user.role === 'admin' ? ['group:admin', 'group:supervisor'] : [`group:${user.role}`];
  // And the staff groups they are in: an overdue task routed to one (activities/routing.ts).
  const staffGroups = db.select({ assignee: sql<string>`'group:' || ${staffGroupMembers.groupId}` }).from(staffGroupMembers).where(eq(staffGroupMembers.userId, user.id));
  return or(mine, inArray(notifications.recipient, groups), inArray(notifications.recipient, staffGroups))!;
}

const unreadBy = (db: Db, userId: string) =>
  notExists(
    db
      .select({ one: notificationReads.notificationId })
      .from(notificationReads)
      .where(and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, userId))),
  );

export function createNotificationsRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  const unreadCount = async (user: User) => {
    const [row] = await db
      .select({ n: count() })
      .from(notifications)
      .where(and(notificationScope(db, user), unreadBy(db, user.id)));
    return row?.n ?? 0;
  };

  async function rowsFor(user: User, where: (SQL | undefined)[], limit: number) {
    return db
      .select({
        id: notifications.id,
        projectId: notifications.projectId,
        projectTitle: projects.title,
        taskId: notifications.taskId,
        kind: notifications.kind,
        summary: notifications.summary,
        recipient: notifications.recipient,
        at: notifications.at,
        readAt: notificationReads.readAt,
      })
      .from(notifications)
      .innerJoin(projects, eq(projects.id, notifications.projectId))
      .leftJoin(notificationReads, and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, user.id)))
      .where(and(notificationScope(db, user), ...where))
      .orderBy(desc(notifications.at), desc(notifications.id))
      .limit(limit);
  }

  router.get('/notifications', async (req, res) => {
    const user = currentUser(req);
    const query = NotificationQuery.parse(req.query);
    const after = decodeCursor(query.cursor);
    const where: (SQL | undefined)[] = [query.unread === 'true' ? unreadBy(db, user.id) : undefined];
    if (after) {
      const at = cursorTime(after[0]);
      where.push(or(lt(notifications.at, at), and(eq(notifications.at, at), lt(notifications.id, String(after[1])))));
    }
    const [rows, unread] = await Promise.all([rowsFor(user, where, query.limit + 1), unreadCount(user)]);
    const { items, nextCursor } = page(rows, query.limit, (row) => [row.at.toISOString(), row.id]);
    res.json({ items: items.map(notificationView), nextCursor, unreadCount: unread });
  });

  router.post('/notifications/read-all', async (req, res) => {
    const user = currentUser(req);
    const body = ReadAllBody.parse(req.body ?? {});
    // One statement however many there are (a supervisor's group may have years of them).
    const marked = await db
      .insert(notificationReads)
      .select(
        db
          .select({ notificationId: notifications.id, userId: sql<string>`${user.id}`.as('user_id'), readAt: sql<Date>`now()`.as('read_at') })
          .from(notifications)
          .where(and(notificationScope(db, user), unreadBy(db, user.id), body.before ? lte(notifications.at, new Date(body.before)) : undefined)),
      )
      .onConflictDoNothing()
      .returning({ id: notificationReads.notificationId });
    res.json({ marked: marked.length, unreadCount: await unreadCount(user) });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const user = currentUser(req);
    // Someone else's notification is unknown here, not forbidden: its existence is theirs too.
    const [row] = await rowsFor(user, [eq(notifications.id, req.params.id)], 1);
    if (!row) throw notFound(`no notification ${req.params.id}`);
    if (!row.readAt) {
      await db.insert(notificationReads).values({ notificationId: row.id, userId: user.id }).onConflictDoNothing();
    }
    res.json({ notification: notificationView({ ...row, readAt: row.readAt ?? new Date() }), unreadCount: await unreadCount(user) });
  });

  return router;
}

interface NotificationRow {
  id: string;
  projectId: string;
  projectTitle: string | null;
  taskId: string | null;
  kind: string;
  summary: string;
  recipient: string;
  at: Date;
  readAt: Date | null;
}

export function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    projectId: row.projectId,
    ...(row.projectTitle ? { projectTitle: row.projectTitle } : {}),
    ...(row.taskId ? { taskId: row.taskId } : {}),
    kind: row.kind,
    summary: row.summary,
    recipient: row.recipient,
    at: row.at.toISOString(),
    read: Boolean(row.readAt),
  };
}
