// Routing (seed 004): staff groups and responsibility rules, kept by admins, and the claim
// of a group's task. The rules are evaluated where a task's row is first written
// (activities/routing.ts), so what changes here reaches new tasks only.
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { Router } from 'express';
import type { Db } from '../../db';
import { customers, routingRules, sites, staffGroupMembers, staffGroups, tasks, users } from '../../db/schema';
import { CHANGES_CHANNEL, type ChangeNotice } from '../../activities/read-model';
import { authorize, STAFF_ROLES, taskFacts } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { newId } from '../ids';
import { badRequest, conflict, notFound, type FieldError } from '../problem';
import { GroupBody, RoutingRuleBody, RoutingRulePatch } from '../routing-schemas';
import { findTaskRow, taskView } from '../views';

type RuleRow = typeof routingRules.$inferSelect;
type GroupRow = typeof staffGroups.$inferSelect;

export function createRoutingRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();
  const admin = (req: Parameters<typeof currentUser>[0], kind: 'groups' | 'routingRules') =>
    authorize(currentUser(req), 'manage', { kind }, kind === 'groups' ? 'only admins keep the groups' : 'only admins keep the responsibility rules');

  // --- groups ---------------------------------------------------------------------------

  router.get('/groups', async (req, res) => {
    authorize(currentUser(req), 'list', { kind: 'groups' }, 'groups are the office’s');
    const rows = await db.select().from(staffGroups).orderBy(asc(staffGroups.name));
    res.json({ items: await groupViews(db, rows), nextCursor: null });
  });

  router.post('/groups', async (req, res) => {
    admin(req, 'groups');
    const body = GroupBody.parse(req.body);
    await checkMembers(db, body.memberIds);
    const row = await db.transaction(async (tx) => {
      const [created] = await tx.insert(staffGroups).values({ id: newId('grp'), name: body.name }).onConflictDoNothing().returning();
      if (!created) throw conflict(`a group named ${body.name} exists`);
      if (body.memberIds.length) await tx.insert(staffGroupMembers).values(body.memberIds.map((userId) => ({ groupId: created.id, userId })));
      return created;
    });
    res.status(201).location(`/groups/${row.id}`).json((await groupViews(db, [row]))[0]);
  });

  router.put('/groups/:id', async (req, res) => {
    admin(req, 'groups');
    const body = GroupBody.parse(req.body);
    const [existing] = await db.select().from(staffGroups).where(eq(staffGroups.id, req.params.id));
    if (!existing) throw notFound(`no group ${req.params.id}`);
    await checkMembers(db, body.memberIds);
    const row = await db.transaction(async (tx) => {
      if (body.name.toLowerCase() !== existing.name.toLowerCase()) {
        const [taken] = await tx.select({ id: staffGroups.id }).from(staffGroups).where(sql`lower(${staffGroups.name}) = lower(${body.name})`);
        if (taken) throw conflict(`a group named ${body.name} exists`);
      }
      const [updated] = await tx
        .update(staffGroups)
        .set({ name: body.name })
        .where(eq(staffGroups.id, existing.id))
        .returning()
        .catch((err: { code?: string }) => {
          // Another edit took the name at the same moment.
          throw err.code === '23505' ? conflict(`a group named ${body.name} exists`) : err;
        });
      await tx.delete(staffGroupMembers).where(eq(staffGroupMembers.groupId, existing.id));
      if (body.memberIds.length) await tx.insert(staffGroupMembers).values(body.memberIds.map((userId) => ({ groupId: existing.id, userId })));
      return updated!;
    });
    res.json((await groupViews(db, [row]))[0]);
  });

  router.delete('/groups/:id', async (req, res) => {
    admin(req, 'groups');
    const [existing] = await db.select().from(staffGroups).where(eq(staffGroups.id, req.params.id));
    if (!existing) throw notFound(`no group ${req.params.id}`);
    // Its rules and open tasks would point at nobody: they go (or move) first.
    const [rule] = await db.select({ id: routingRules.id }).from(routingRules).where(eq(routingRules.targetGroupId, existing.id)).limit(1);
    if (rule) throw conflict(`rule ${rule.id} routes to ${existing.name}: change or delete it first`);
    const [open] = await db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.assignee, `group:${existing.id}`), eq(tasks.status, 'open'))).limit(1);
    if (open) throw conflict(`${existing.name} still has open tasks (${open.id})`);
    await db.delete(staffGroups).where(eq(staffGroups.id, existing.id));
    res.status(204).end();
  });

  // --- responsibility rules -------------------------------------------------------------

  router.get('/routing-rules', async (req, res) => {
    authorize(currentUser(req), 'list', { kind: 'routingRules' }, 'only admins keep the responsibility rules');
    const rows = await db.select().from(routingRules).orderBy(asc(routingRules.priority), asc(routingRules.createdAt), asc(routingRules.id));
    res.json({ items: await ruleViews(db, rows), nextCursor: null });
  });

  router.post('/routing-rules', async (req, res) => {
    admin(req, 'routingRules');
    const body = RoutingRuleBody.parse(req.body);
    const fields = {
      priority: body.priority,
      customerId: body.customerId ?? null,
      siteId: body.siteId ?? null,
      category: body.category ?? null,
      targetUserId: body.targetUserId ?? null,
      targetGroupId: body.targetGroupId ?? null,
    };
    await checkRule(db, fields);
    const [row] = await db
      .insert(routingRules)
      .values({ id: newId('rul'), ...fields, createdBy: currentUser(req).id })
      .returning();
    res.status(201).location(`/routing-rules/${row!.id}`).json((await ruleViews(db, [row!]))[0]);
  });

  router.patch('/routing-rules/:id', async (req, res) => {
    admin(req, 'routingRules');
    const body = RoutingRulePatch.parse(req.body);
    const [existing] = await db.select().from(routingRules).where(eq(routingRules.id, req.params.id));
    if (!existing) throw notFound(`no routing rule ${req.params.id}`);
    const target =
      body.targetUserId !== undefined ? { targetUserId: body.targetUserId, targetGroupId: null } : body.targetGroupId !== undefined ? { targetUserId: null, targetGroupId: body.targetGroupId } : {};
    const fields = {
      priority: body.priority ?? existing.priority,
      customerId: body.customerId === undefined ? existing.customerId : body.customerId,
      siteId: body.siteId === undefined ? existing.siteId : body.siteId,
      category: body.category === undefined ? existing.category : body.category,
      targetUserId: existing.targetUserId,
      targetGroupId: existing.targetGroupId,
      ...target,
    };
    await checkRule(db, fields);
    const [row] = await db
      .update(routingRules)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(routingRules.id, existing.id))
      .returning();
    if (!row) throw notFound(`no routing rule ${existing.id}`);
    res.json((await ruleViews(db, [row]))[0]);
  });

  router.delete('/routing-rules/:id', async (req, res) => {
    admin(req, 'routingRules');
    const [row] = await db.delete(routingRules).where(eq(routingRules.id, req.params.id)).returning({ id: routingRules.id });
    if (!row) throw notFound(`no routing rule ${req.params.id}`);
    res.status(204).end();
  });

  // --- claiming a group's task ----------------------------------------------------------

  router.post('/tasks/:id/claim', async (req, res) => {
    const user = currentUser(req);
    const row = await findTaskRow(database, req.params.id);
    if (!row) throw notFound(`no task ${req.params.id}`);
    const facts = await taskFacts(db, row);
    authorize(user, 'read', { kind: 'task', task: facts }, 'this task is not yours');
    authorize(user, 'claim', { kind: 'task', task: facts }, 'only a member of its group takes this task');
    // One conditional write: of two claims at once, exactly one finds the task untaken.
    // Taking a task you already hold again changes nothing.
    const [claimed] = await db
      .update(tasks)
      .set({ claimedBy: user.id, claimedAt: sql`coalesce(${tasks.claimedAt}, now())` })
      .where(and(eq(tasks.id, row.id), eq(tasks.status, 'open'), or(isNull(tasks.claimedBy), eq(tasks.claimedBy, user.id))))
      .returning();
    if (!claimed) {
      const now = await findTaskRow(database, row.id);
      if (now?.status !== 'open') throw conflict(`task ${row.id} is not open`);
      throw conflict(`${await nameOf(db, now.claimedBy!)} has taken this task`);
    }
    if (row.claimedBy !== user.id) {
      const notice: ChangeNotice = { projectId: claimed.projectId, taskIds: [claimed.id] };
      await database.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]).catch(() => undefined);
    }
    res.json(taskView(claimed));
  });

  return router;
}

/** A person's display name (their id when unknown). */
export async function nameOf(db: Db, userId: string): Promise<string> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? userId;
}

/** Members are office staff who can work: routed work is the office's. */
async function checkMembers(db: Db, ids: string[], path = 'memberIds'): Promise<void> {
  if (!ids.length) return;
  const found = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), inArray(users.role, [...STAFF_ROLES]), isNull(users.disabledAt)));
  const known = new Set(found.map((row) => row.id));
  const errors = ids.flatMap((id, index) => (known.has(id) ? [] : [{ path: `${path}.${index}`, message: `no enabled office user ${id}` }]));
  if (errors.length) throw badRequest('members must be enabled office staff (admin, supervisor, ops)', errors);
}

type RuleFields = Pick<RuleRow, 'priority' | 'customerId' | 'siteId' | 'category' | 'targetUserId' | 'targetGroupId'>;

/** What a rule names must exist (and a site must be its customer's); every mistake at once. */
async function checkRule(db: Db, rule: RuleFields): Promise<void> {
  const errors: FieldError[] = [];
  if (rule.customerId) {
    const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, rule.customerId));
    if (!customer) errors.push({ path: 'customerId', message: `no customer ${rule.customerId}` });
  }
  if (rule.siteId) {
    const [site] = await db.select({ customerId: sites.customerId }).from(sites).where(eq(sites.id, rule.siteId));
    if (!site) errors.push({ path: 'siteId', message: `no site ${rule.siteId}` });
    else if (rule.customerId && site.customerId !== rule.customerId) errors.push({ path: 'siteId', message: `site ${rule.siteId} is not customer ${rule.customerId}'s` });
  }
  if (rule.targetUserId) {
    const [person] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, rule.targetUserId), inArray(users.role, [...STAFF_ROLES]), isNull(users.disabledAt)));
    if (!person) errors.push({ path: 'targetUserId', message: `no enabled office user ${rule.targetUserId}` });
  }
  if (rule.targetGroupId) {
    const [group] = await db.select({ id: staffGroups.id }).from(staffGroups).where(eq(staffGroups.id, rule.targetGroupId));
    if (!group) errors.push({ path: 'targetGroupId', message: `no group ${rule.targetGroupId}` });
  }
  if (errors.length) throw badRequest(errors.map((error) => `${error.path}: ${error.message}`).join('; '), errors);
}

async function groupViews(db: Db, rows: GroupRow[]) {
  if (!rows.length) return [];
  const members = await db
    .select({ groupId: staffGroupMembers.groupId, id: users.id, name: users.name, role: users.role })
    .from(staffGroupMembers)
    .innerJoin(users, eq(users.id, staffGroupMembers.userId))
    .where(inArray(staffGroupMembers.groupId, rows.map((row) => row.id)))
    .orderBy(asc(users.name));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    assignee: `group:${row.id}`,
    members: members.filter((member) => member.groupId === row.id).map(({ groupId: _groupId, ...person }) => person),
    createdAt: row.createdAt.toISOString(),
  }));
}

async function ruleViews(db: Db, rows: RuleRow[]) {
  if (!rows.length) return [];
  const ids = (pick: (row: RuleRow) => string | null) => [...new Set(rows.map(pick).filter((id): id is string => Boolean(id)))];
  const [customerRows, siteRows, userRows, groupRows] = await Promise.all([
    ids((row) => row.customerId).length ? db.select({ id: customers.id, name: customers.name }).from(customers).where(inArray(customers.id, ids((row) => row.customerId))) : [],
    ids((row) => row.siteId).length ? db.select({ id: sites.id, address: sites.address }).from(sites).where(inArray(sites.id, ids((row) => row.siteId))) : [],
    ids((row) => row.targetUserId).length ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids((row) => row.targetUserId))) : [],
    ids((row) => row.targetGroupId).length ? db.select({ id: staffGroups.id, name: staffGroups.name }).from(staffGroups).where(inArray(staffGroups.id, ids((row) => row.targetGroupId))) : [],
  ]);
  const named = <T extends { id: string }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
  const [customerById, siteById, userById, groupById] = [named(customerRows), named(siteRows), named(userRows), named(groupRows)];
  return rows.map((row) => {
    const target = row.targetUserId ? userById.get(row.targetUserId)?.name ?? row.targetUserId : groupById.get(row.targetGroupId!)?.name ?? row.targetGroupId!;
    return Object.fromEntries(
      Object.entries({
        id: row.id,
        priority: row.priority,
        customerId: row.customerId,
        customerName: row.customerId ? customerById.get(row.customerId)?.name : undefined,
        siteId: row.siteId,
        siteAddress: row.siteId ? siteById.get(row.siteId)?.address : undefined,
        category: row.category,
        targetUserId: row.targetUserId,
        targetGroupId: row.targetGroupId,
        targetName: target,
        assignee: row.targetUserId ?? `group:${row.targetGroupId}`,
        createdBy: row.createdBy,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt?.toISOString(),
      }).filter(([, value]) => value !== undefined && value !== null),
    );
  });
}
