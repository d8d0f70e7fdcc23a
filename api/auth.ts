// Login with hashed passwords, and a JWT that carries the user's id and role.
import { createSecretKey, type KeyObject } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { eq, sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import type { Db } from '../db';
import { users } from '../db/schema';
import type { Role } from '../workflows/tasks/definitions';
import { forbidden, unauthorized } from './problem';

export interface User {
  id: string;
  role: Role;
  name: string;
  customerId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

const TOKEN_LIFETIME = '12h';

// Given a string, jsonwebtoken first tries it as a public key (which throws) and then
// makes a secret key, on every call: about 5% of the API's CPU under load. Make it once.
const keys = new Map<string, KeyObject>();
function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export const hashPassword = (password: string) => bcrypt.hash(password, 10);

export async function login(db: Db, secret: string, email: string, password: string) {
  const [row] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  // Compare against a fixed hash when the user is unknown, so timing does not tell.
  const ok = await bcrypt.compare(password, row?.passwordHash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
  if (!row || !ok) throw unauthorized('wrong email or password');
  const user: User = { id: row.id, role: row.role as Role, name: row.name, ...(row.customerId ? { customerId: row.customerId } : {}) };
  const token = jwt.sign({ role: user.role, name: user.name, customerId: user.customerId }, signingKey(secret), {
    subject: user.id,
    expiresIn: TOKEN_LIFETIME,
    algorithm: 'HS256',
  });
  return { token, user: { id: user.id, role: user.role, name: user.name, ...(user.customerId ? { customerId: user.customerId } : {}) } };
}

export function verifyToken(secret: string, token: string): User {
  try {
    const claims = jwt.verify(token, signingKey(secret), { algorithms: ['HS256'] }) as jwt.JwtPayload;
    return { id: claims.sub!, role: claims.role, name: claims.name, ...(claims.customerId ? { customerId: claims.customerId } : {}) };
  } catch {
    throw unauthorized('the token is invalid or has expired');
  }
}

export function requireUser(secret: string): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw unauthorized();
    req.user = verifyToken(secret, match[1]);
    next();
  };
}

/** Staff roles: everything ops may do, supervisors and admins may do too. */
export const STAFF: Role[] = ['ops', 'supervisor', 'admin'];

export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user || !roles.includes(req.user.role)) throw forbidden(`this needs one of the roles ${roles.join(', ')}`);
    next();
  };
}

export const currentUser = (req: { user?: User }): User => {
  if (!req.user) throw unauthorized();
  return req.user;
};
