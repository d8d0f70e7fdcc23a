// The mail outbox: a queued mail reaches the SMTP server once per key, with its own
// Message-ID; while the server is away it stays queued and goes when it is back.
import crypto from 'node:crypto';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { queueMail } from '../api/mail';
import { startMailDelivery } from '../api/mail/outbox';
import { startMailStandIn } from '../api/mail/stand-in';
import { openDatabase } from '../db';
import { mailOutbox } from '../db/schema';
import { createLogger } from '../runtime/logger';
import { receivedMails, waitForMail } from './support/mailbox';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

test('a queued mail reaches the mail server once, however often its key is queued', async () => {
  const key = `test:${crypto.randomUUID()}`;
  const to = `${crypto.randomUUID().slice(0, 8)}@example.com`;
  for (let i = 0; i < 3; i++) await queueMail(system.database.db, { key, to, subject: 'Your case has a new message', text: 'Open it: http://x/y' });
  const mail = await waitForMail((m) => m.to.includes(to));
  expect(mail).toMatchObject({ subject: 'Your case has a new message', text: expect.stringContaining('http://x/y'), from: 'no-reply@fieldflow.local' });
  // Give the loop a few more rounds: still one.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect((await receivedMails()).filter((m) => m.to.includes(to))).toHaveLength(1);
  const [row] = await system.database.db.select().from(mailOutbox).where(eq(mailOutbox.key, key));
  expect(row.sentAt).toBeInstanceOf(Date);
  expect(mail.messageId).toBe(`<${row.id}@fieldflow>`);
});

test('while the mail server is away the mail waits, and goes once it is back', async () => {
  // A database of its own (no other sender takes the mail), and a port nobody listens on.
  const database = await openDatabase({ pgliteDir: null });
  await database.migrate();
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const logger = createLogger('silent');
  const delivery = startMailDelivery({
    database,
    transport: nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, connectionTimeout: 2000 }),
    from: 'test@fieldflow.local',
    logger,
    everyMs: 3_600_000, // rounds by hand below
  });
  const key = 'test:waiting';
  try {
    await queueMail(database.db, { key, to: 'someone@example.com', subject: 'Waiting', text: 'x' });
    expect(await delivery.deliverDue()).toBe(1);
    const [failed] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.key, key));
    expect(failed.sentAt).toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toBeTruthy();
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing is tried.
    expect(await delivery.deliverDue()).toBe(0);

    const standIn = await startMailStandIn({ port, logger });
    try {
      await database.db.update(mailOutbox).set({ nextAttemptAt: new Date(0) }).where(eq(mailOutbox.key, key));
      expect(await delivery.deliverDue()).toBe(1);
      expect(standIn.received().map((m) => m.to)).toEqual([['someone@example.com']]);
      const [sent] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.key, key));
      expect(sent).toMatchObject({ attempts: 2, lastError: null });
      expect(sent.sentAt).toBeInstanceOf(Date);
      // Sent is sent: later rounds leave it.
      await database.db.update(mailOutbox).set({ nextAttemptAt: new Date(0) }).where(eq(mailOutbox.key, key));
      expect(await delivery.deliverDue()).toBe(0);
    } finally {
      await standIn.close();
    }
  } finally {
    await delivery.close();
    await database.close();
  }
});
