// Invitations of customer contacts to the portal. Staff invite an email for a customer: a
// customer user bound to it is made (without a usable password) and a mail carries a
// single-use, expiring sign-in link. Opening it, the contact chooses a password and is
// signed in. Only the token's SHA-256 is stored: the link is the only copy of the token.
import crypto from 'node:crypto';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { customers, invitations, users } from '../db/schema';
import { hashPassword, signedIn } from './auth';
import { newId } from './ids';
import { queueMail } from './mail';
import { conflict, notFound, Problem } from './problem';
import { Password } from './user-accounts';

const time = z.string().meta({ format: 'date-time' });

export const InvitationBody = z
  .object({
    email: z.email('write an address like name@example.com').max(320),
    name: z.string().trim().min(1, 'write the name of the person you invite').max(200),
  })
  .meta({ id: 'InvitationBody' });

export const Invitation = z
  .object({
    id: z.string(),
    customerId: z.string(),
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    status: z.enum(['pending', 'accepted', 'expired', 'replaced']),
    createdAt: time,
    expiresAt: time,
    acceptedAt: time.optional(),
  })
  .meta({ id: 'Invitation' });

/** What the invitation page shows before the contact chooses a password. */
export const InvitationPreview = z
  .object({ email: z.string(), name: z.string(), customerName: z.string(), expiresAt: time })
  .meta({ id: 'InvitationPreview' });

export const AcceptInvitationBody = z.object({ password: Password }).meta({ id: 'AcceptInvitationBody' });

const tokenHash = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

type InvitationRow = typeof invitations.$inferSelect;

const statusOf = (row: InvitationRow, now = Date.now()): z.infer<typeof Invitation>['status'] =>
  row.acceptedAt ? 'accepted' : row.replacedAt ? 'replaced' : row.expiresAt.getTime() <= now ? 'expired' : 'pending';

export const invitationView = (row: InvitationRow, name: string): z.infer<typeof Invitation> => ({
  id: row.id,
  customerId: row.customerId,
  userId: row.userId,
  email: row.email,
  name,
  status: statusOf(row),
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  ...(row.acceptedAt ? { acceptedAt: row.acceptedAt.toISOString() } : {}),
});

export interface InviteDeps {
  db: Db;
  publicUrl: string;
  ttlMs: number;
}

/**
 * Invites `email` to the customer's portal. A user who was invited before and never
 * accepted is invited again (the older link stops working); an email any other user has
 * is 409. The mail is queued in the same transaction as the invitation.
 */
export async function inviteContact({ db, publicUrl, ttlMs }: InviteDeps, customerId: string, body: z.infer<typeof InvitationBody>, invitedBy: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!customer) throw notFound(`no customer ${customerId}`);
  const token = crypto.randomBytes(32).toString('base64url');
  // Nobody knows this password: the user cannot sign in until they choose their own.
  const unusable = await hashPassword(crypto.randomBytes(32).toString('base64url'));
  const link = `${publicUrl.replace(/\/$/, '')}/invitations/${token}`;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(sql`lower(${users.email})`, body.email.toLowerCase()));
    let user = existing;
    if (existing) {
      const [accepted] = await tx.select({ id: invitations.id }).from(invitations).where(and(eq(invitations.userId, existing.id), isNotNull(invitations.acceptedAt)));
      const [invited] = await tx.select({ id: invitations.id }).from(invitations).where(eq(invitations.userId, existing.id)).limit(1);
      const pending = existing.role === 'customer' && existing.customerId === customerId && !existing.disabledAt && !accepted && invited;
      if (!pending) throw conflict(`the email ${body.email} belongs to another user`);
      await tx.update(invitations).set({ replacedAt: new Date() }).where(and(eq(invitations.userId, existing.id), isNull(invitations.acceptedAt), isNull(invitations.replacedAt)));
    } else {
      [user] = await tx
        .insert(users)
        .values({ id: newId('usr'), email: body.email, name: body.name, role: 'customer', customerId, passwordHash: unusable })
        .onConflictDoNothing()
        .returning();
      if (!user) throw conflict(`the email ${body.email} belongs to another user`);
    }
    const [row] = await tx
      .insert(invitations)
      .values({ id: newId('inv'), tokenHash: tokenHash(token), userId: user!.id, customerId, email: body.email, invitedBy, expiresAt: new Date(Date.now() + ttlMs) })
      .returning();
    const until = row.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
    await queueMail(tx, {
      key: `invitation:${row.id}`,
      to: body.email,
      subject: `Your access to ${customer.name}'s cases`,
      text: [
        `Hello ${user!.name},`,
        '',
        `You are invited to follow and report ${customer.name}'s service cases online.`,
        'Open this link to choose your password and sign in:',
        '',
        link,
        '',
        `The link works once, until ${until} UTC. Afterwards, sign in with your email and password.`,
      ].join('\n'),
    });
    return invitationView(row, user!.name);
  });
}

/** The invitations of a customer, newest first. */
export async function customerInvitations(db: Db, customerId: string) {
  const rows = await db
    .select({ invitation: invitations, name: users.name })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(eq(invitations.customerId, customerId))
    .orderBy(sql`${invitations.createdAt} DESC`, sql`${invitations.id} DESC`)
    .limit(200);
  return rows.map((row) => invitationView(row.invitation, row.name));
}

const gone = (detail: string) => new Problem(410, 'Gone', detail);

/** A token's invitation while it can be used: 404 unknown, 410 used, replaced, expired or its user disabled. */
async function usable(db: Pick<Db, 'select'>, token: string) {
  const [row] = await db
    .select({ invitation: invitations, user: users, customerName: customers.name })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(customers, eq(customers.id, invitations.customerId))
    .where(eq(invitations.tokenHash, tokenHash(token)));
  if (!row) throw notFound('this invitation link is unknown');
  if (row.invitation.acceptedAt) throw gone('this invitation link has been used; sign in with your email and password');
  if (row.invitation.replacedAt) throw gone('a newer invitation replaced this link; use the link in the latest mail');
  if (row.invitation.expiresAt.getTime() <= Date.now()) throw gone('this invitation link has expired; ask the office for a new one');
  if (row.user.disabledAt) throw gone('this account is disabled');
  return row;
}

export async function previewInvitation(db: Db, token: string): Promise<z.infer<typeof InvitationPreview>> {
  const row = await usable(db, token);
  return { email: row.user.email, name: row.user.name, customerName: row.customerName, expiresAt: row.invitation.expiresAt.toISOString() };
}

/**
 * Sets the contact's password and signs them in. The invitation is taken by one
 * conditional update, so of two accepts at once only one succeeds.
 */
export async function acceptInvitation(db: Db, secret: string, token: string, password: string) {
  await usable(db, token);
  const passwordHash = await hashPassword(password);
  const row = await db.transaction(async (tx) => {
    const [taken] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.tokenHash, tokenHash(token)), isNull(invitations.acceptedAt), isNull(invitations.replacedAt), sql`${invitations.expiresAt} > now()`))
      .returning();
    if (!taken) throw gone('this invitation link has been used; sign in with your email and password');
    const [user] = await tx.update(users).set({ passwordHash }).where(and(eq(users.id, taken.userId), isNull(users.disabledAt))).returning();
    if (!user) throw gone('this account is disabled');
    return user;
  });
  return signedIn(secret, row);
}
