// One way to open the read model, whichever engine is behind it: PostgreSQL through `pg`
// when a URL is given, else embedded PGlite (a folder, or memory for tests).
import path from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { Pool, type PoolClient } from 'pg';
import * as schema from './schema';

export { schema };
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  engine: 'postgresql' | 'pglite';
  /** Applies the committed migrations once, under an advisory lock. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * Runs one statement as text with parameters, past the query builder, for hot paths
   * whose text never changes; `name` lets PostgreSQL keep it prepared per connection.
   */
  query<T = Record<string, unknown>>(text: string, params: unknown[], name?: string): Promise<T[]>;
  /**
   * Calls `handler` with each NOTIFY payload on `channel`; resolves to a function that
   * stops it. `onResync` is called after the session was lost and LISTEN is back: notices
   * sent in between are lost, so listeners should refetch.
   */
  listen(channel: string, handler: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; poolSize?: number }
  | { pgliteDir: string | null }; // null: in memory

// Compiled code runs from dist/db, but the SQL files stay in db/migrations.
export const migrationsFolder = path.basename(path.dirname(__dirname)) === 'dist'
  ? path.resolve(__dirname, '..', '..', 'db', 'migrations')
  : path.resolve(__dirname, 'migrations');

/** How often the LISTEN session proves it is alive, and how long that may take. */
const LISTEN_PROBE_MS = 30_000;
const LISTEN_PROBE_TIMEOUT_MS = 10_000;

// Any fixed 64-bit number; every Fieldflow process that migrates takes this lock first.
const MIGRATION_LOCK = 4242_2026;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ('url' in options) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.pgliteDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // TCP keepalive finds a peer that vanished without a FIN (a NAT or proxy that forgot us),
  // and a connect that hangs fails instead of holding a request (or the LISTEN) forever.
  const pool = new Pool({ connectionString: url, max: poolSize, keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits here; without a listener that error
  // would end the process. The pool drops the client and the next query connects anew.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgresql',
    async migrate() {
      // The lock lives on one session, so take a dedicated client for it.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(pool, { schema }), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async query<T>(text: string, params: unknown[], name?: string) {
      const result = await pool.query({ text, values: params, ...(name ? { name } : {}) });
      return result.rows as T[];
    },
    async listen(channel, handler, onResync) {
      // LISTEN needs its own session for as long as it listens. When that session dies
      // (PostgreSQL restarts, a proxy drops it), take a new one, backing off up to 5 s;
      // notices sent in between are lost, so once LISTEN is back `onResync` tells the
      // streams to refetch. A session can also die silently (no error, no end), so a
      // `SELECT 1` probes it periodically; a probe that fails or hangs counts as lost.
      let client: PoolClient | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      let probe: NodeJS.Timeout | undefined;
      let delay = 100;
      let connected = false;
      const onNotification = (message: { channel: string; payload?: string }) => {
        if (message.channel === channel) handler(message.payload ?? '');
      };
      const connect = async (): Promise<void> => {
        const session = await pool.connect();
        const lost = (err?: Error) => {
          if (client !== session) return;
          client = undefined;
          clearInterval(probe);
          session.off('notification', onNotification);
          session.release(err ?? true); // destroy it, never back into the pool
          if (!stopped) retry = setTimeout(reconnect, delay);
        };
        session.on('error', lost);
        session.on('end', () => lost());
        session.on('notification', onNotification);
        client = session;
        try {
          await session.query(`LISTEN ${quoteIdent(channel)}`);
          delay = 100;
          probe = setInterval(() => {
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<never>((_resolve, reject) => {
              timer = setTimeout(() => reject(new Error('the LISTEN session did not answer SELECT 1')), LISTEN_PROBE_TIMEOUT_MS);
            });
            Promise.race([session.query('SELECT 1'), timeout])
              .catch((err: Error) => lost(err))
              .finally(() => clearTimeout(timer));
          }, LISTEN_PROBE_MS);
          probe.unref();
          if (connected) onResync?.();
          connected = true;
        } catch (err) {
          client = undefined;
          session.off('notification', onNotification);
          session.release(err as Error);
          throw err;
        }
      };
      const reconnect = () => {
        if (stopped) return;
        connect().catch(() => {
          delay = Math.min(delay * 2, 5000);
          if (!stopped && !client) retry = setTimeout(reconnect, delay);
        });
      };
      await connect();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        clearInterval(probe);
        const session = client;
        client = undefined;
        if (!session) return;
        session.off('notification', onNotification);
        await session.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        session.release();
      };
    },
    close: () => pool.end(),
  };
}

async function openPglite(dir: string | null): Promise<Database> {
  // PGlite ships as ESM and loads its own WASM with a dynamic import.
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // Search's trigram indexes need pg_trgm, which PGlite ships as a loadable extension.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const options = { extensions: { pg_trgm } };
  const client = dir ? new PGlite(dir, options) : new PGlite(options);
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    async migrate() {
      // One process owns a PGlite folder, but the lock keeps the two engines alike.
      await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
      }
    },
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    async query<T>(text: string, params: unknown[]) {
      return (await client.query<T>(text, params)).rows;
    },
    async listen(channel, handler) {
      const stop = await client.listen(channel, handler);
      return () => stop();
    },
    close: () => client.close(),
  };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
