// Login with hashed passwords, and a JWT that carries the user's id. Every request looks
// the user up (briefly cached), so a disabled user's tokens stop working and a changed
// role counts at once. Stream tickets are separate short-lived tokens of their own
// audience: a ticket is no bearer token, and a bearer token is no ticket.
import { createSecretKey, type KeyObject } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { eq, sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import type { Db } from '../db';
import { users } from '../db/schema';
import type { Role } from '../workflows/tasks/definitions';
import { unauthorized } from './problem';

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

const TOKEN_LIFETIME_S = 12 * 3600;
export const TICKET_LIFETIME_S = 60;
export const ISSUER = 'fieldflow';
const API_AUDIENCE = 'fieldflow-api';
const STREAM_AUDIENCE = 'fieldflow-stream';
/** How long a looked-up user is trusted before the database is asked again. */
const USER_CACHE_MS = 2000;

// Given a string, jsonwebtoken first tries it as a public key (which throws) and then
// makes a secret key, on every call: about 5% of the API's CPU under load. Make it once.
const keys = new Map<string, KeyObject>();
function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export const hashPassword = (password: string) => bcrypt.hash(password, 10);

type UserRow = typeof users.$inferSelect;
const toUser = (row: UserRow): User => ({ id: row.id, role: row.role as Role, name: row.name, ...(row.customerId ? { customerId: row.customerId } : {}) });

export async function login(db: Db, secret: string, email: string, password: string) {
  const [row] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  // Compare against a fixed hash when the user is unknown, so timing does not tell.
  const ok = await bcrypt.compare(password, row?.passwordHash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
  if (!row || !ok || row.disabledAt) throw unauthorized('wrong email or password');
  return signedIn(secret, row);
}

/** What signing in answers: a token for the user, and who they are (login, an accepted invitation). */
export function signedIn(secret: string, row: UserRow) {
  const user = toUser(row);
  const token = jwt.sign({}, signingKey(secret), { subject: user.id, expiresIn: TOKEN_LIFETIME_S, algorithm: 'HS256', issuer: ISSUER, audience: API_AUDIENCE });
  return { token, user };
}

/** A single-purpose ticket for one stream connection, valid for a minute. */
export function streamTicket(secret: string, user: User): { ticket: string; expiresAt: string } {
  const ticket = jwt.sign({}, signingKey(secret), { subject: user.id, expiresIn: TICKET_LIFETIME_S, algorithm: 'HS256', issuer: ISSUER, audience: STREAM_AUDIENCE });
  return { ticket, expiresAt: new Date(Date.now() + TICKET_LIFETIME_S * 1000).toISOString() };
}

function verify(secret: string, token: string, audience: string): { userId: string; expiresAt: number } {
  try {
    const claims = jwt.verify(token, signingKey(secret), { algorithms: ['HS256'], issuer: ISSUER, audience }) as jwt.JwtPayload;
    if (!claims.sub || !claims.exp) throw new Error('incomplete');
    return { userId: claims.sub, expiresAt: claims.exp * 1000 };
  } catch {
    throw unauthorized(audience === STREAM_AUDIENCE ? 'the stream ticket is invalid or has expired' : 'the token is invalid or has expired');
  }
}

/** Looks users up by id, skipping disabled ones; remembers an answer for a moment. */
export class UserDirectory {
  private cache = new Map<string, { user: User | undefined; until: number }>();
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<User | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.until > Date.now()) return cached.user;
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    const user = row && !row.disabledAt ? toUser(row) : undefined;
    this.cache.set(id, { user, until: Date.now() + USER_CACHE_MS });
    return user;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  async fromToken(secret: string, token: string): Promise<User> {
    const { userId } = verify(secret, token, API_AUDIENCE);
    const user = await this.find(userId);
    if (!user) throw unauthorized('the token is invalid or has expired');
    return user;
  }

  async fromTicket(secret: string, ticket: string): Promise<{ user: User; expiresAt: number }> {
    const { userId, expiresAt } = verify(secret, ticket, STREAM_AUDIENCE);
    const user = await this.find(userId);
    if (!user) throw unauthorized('the stream ticket is invalid or has expired');
    return { user, expiresAt };
  }
}

export function requireUser(secret: string, directory: UserDirectory): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw unauthorized();
    req.user = await directory.fromToken(secret, match[1]);
    next();
  };
}

export const currentUser = (req: { user?: User }): User => {
  if (!req.user) throw unauthorized();
  return req.user;
};
