// The mail outbox: a queued mail reaches the SMTP server once per key, with its own
// Message-ID; while the server is away it stays queued and goes when it is back.
import crypto from 'node:crypto';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
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

test('a recipient is one address: a list or an injected header is refused and nothing is queued', async () => {
  const key = `test:${crypto.randomUUID()}`;
  for (const to of ['victim@example.com, attacker@example.net', 'victim@example.com\r\nBcc: attacker@example.net', 'Someone <victim@example.com>', 'list:victim@example.com;', '']) {
    await expect(queueMail(system.database.db, { key, to, subject: 'x', text: 'y' })).rejects.toThrow(/one email address/);
  }
  expect(await system.database.db.select().from(mailOutbox).where(eq(mailOutbox.key, key))).toEqual([]);
});

test('a sender whose lease ran out during a slow batch does not send what another sender has taken since', async () => {
  // One database, two senders (two API processes), a lease of one second; the first
  // sender's server holds the first mail it sends until the second sender is done.
  const database = await openDatabase({ pgliteDir: null });
  await database.migrate();
  const sent: { by: string; to: string }[] = [];
  let started!: () => void;
  const sending = new Promise<void>((resolve) => (started = resolve));
  let inFlight: string | undefined;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const transport = (by: string) =>
    ({
      async sendMail(mail: { to: string }) {
        if (by === 'slow' && !inFlight) {
          inFlight = mail.to;
          started();
          await released;
        }
        sent.push({ by, to: mail.to });
        return {};
      },
      close() {},
    }) as unknown as Transporter;
  const logger = createLogger('silent');
  const slow = startMailDelivery({ database, transport: transport('slow'), from: 'a@fieldflow.local', logger, everyMs: 3_600_000, leaseSeconds: 1 });
  const quick = startMailDelivery({ database, transport: transport('quick'), from: 'a@fieldflow.local', logger, everyMs: 3_600_000, leaseSeconds: 1 });
  try {
    await queueMail(database.db, { key: 'lease:1', to: 'first@example.com', subject: 'one', text: 'x' });
    await queueMail(database.db, { key: 'lease:2', to: 'second@example.com', subject: 'two', text: 'x' });
    const slowRound = slow.deliverDue();
    await sending;
    // Every lease of the slow sender's batch has run out: the quick one takes what is left.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await quick.deliverDue()).toBeGreaterThan(0);
    release();
    await slowRound;
    // The mail the slow sender had not begun went once: the quick sender took it after the
    // lease ran out, and the slow one, back from its first mail, left it alone. (The one in
    // flight past its lease goes twice, with one Message-ID: at least once.)
    const other = ['first@example.com', 'second@example.com'].find((to) => to !== inFlight);
    expect(sent.filter((mail) => mail.to === other).map(({ by }) => by)).toEqual(['quick']);
  } finally {
    release();
    await slow.close();
    await quick.close();
    await database.close();
  }
});

test('rounds do not pile up behind a slow one, and closing waits for the round under way only', async () => {
  // A database that takes 50 ms for every statement, and a round every 5 ms.
  let statements = 0;
  const database = {
    async query() {
      statements++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [];
    },
  } as unknown as Parameters<typeof startMailDelivery>[0]['database'];
  const transport = { sendMail: async () => ({}), close() {} } as unknown as Transporter;
  const delivery = startMailDelivery({ database, transport, from: 'a@fieldflow.local', logger: createLogger('silent'), everyMs: 5 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const began = Date.now();
  await delivery.close();
  // One round at a time: about ten in half a second, and closing waits for one at most.
  expect(Date.now() - began).toBeLessThan(200);
  const atClose = statements;
  expect(atClose).toBeLessThan(15);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(statements).toBe(atClose);
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
