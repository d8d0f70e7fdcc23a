// User accounts: made by admins over the API and by the bootstrap command
// (`npm run users -- create …`) alike, so both check the same things.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { customers, users } from '../db/schema';
import { hashPassword } from './auth';
import { newId } from './ids';
import { badRequest, conflict } from './problem';

export const ROLES = ['admin', 'supervisor', 'ops', 'installer', 'customer'] as const;

/** The password rules, wherever someone chooses one (an admin for a user, a contact accepting an invitation). */
export const Password = z.string().min(12, 'at least 12 characters').max(200);

export const UserBody = z
  .object({
    email: z.email().max(320),
    name: z.string().min(1).max(200),
    role: z.enum(ROLES),
    password: Password,
    customerId: z.string().min(1).optional(),
  })
  .refine((body) => (body.role === 'customer') === Boolean(body.customerId), {
    path: ['customerId'],
    message: 'a customer user needs customerId, and only a customer user has one',
  })
  .meta({ id: 'UserBody' });
export type UserBody = z.infer<typeof UserBody>;

type UserRow = typeof users.$inferSelect;

/** A user as the API shows it: never the password hash. */
export const userView = (row: UserRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  ...(row.customerId ? { customerId: row.customerId } : {}),
  disabled: Boolean(row.disabledAt),
  createdAt: row.createdAt.toISOString(),
});

export async function createUser(db: Db, body: UserBody): Promise<UserRow> {
  if (body.customerId) {
    const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, body.customerId));
    if (!customer) throw badRequest('unknown customer', [{ path: 'customerId', message: `no customer ${body.customerId}` }]);
  }
  const [row] = await db
    .insert(users)
    .values({ id: newId('usr'), email: body.email, name: body.name, role: body.role, customerId: body.customerId ?? null, passwordHash: await hashPassword(body.password) })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`a user with the email ${body.email} exists`);
  return row;
}
