// Mail that must go out, whatever crashes: callers queue it in the transaction of what it
// tells about (a message, an invitation), and the API's delivery loop sends it through
// SMTP, retrying with backoff until the server takes it. Delivery is at least once: a
// crash between the SMTP server's yes and our note of it sends that mail again, with the
// same Message-ID, so a mail client shows it once.
import type { Transporter } from 'nodemailer';
import type { Database, Db } from '../../db';
import { mailOutbox } from '../../db/schema';
import type { Logger } from '../../runtime/logger';
import { newId } from '../ids';

export interface OutgoingMail {
  /** What makes this mail one of a kind (`message:<id>:<recipient>`): queued twice, sent once. */
  key: string;
  to: string;
  subject: string;
  text: string;
}

/** One bare address: no display name, list, group, comment, space or control character. */
const ONE_ADDRESS = /^[^\s\x00-\x1f\x7f@<>,;:"()[\]\\]+@[^\s\x00-\x1f\x7f@<>,;:"()[\]\\]+$/;

export async function queueMail(db: Pick<Db, 'insert'>, mail: OutgoingMail): Promise<void> {
  // One plain address: nodemailer reads "a@x, b@y", a group or a header smuggled after a
  // line break as more recipients, so a contact email from a public form could send anywhere.
  if (!ONE_ADDRESS.test(mail.to)) throw new Error(`a mail goes to one email address, not ${JSON.stringify(mail.to.slice(0, 100))}`);
  await db
    .insert(mailOutbox)
    .values({ id: newId('mail'), key: mail.key, to: mail.to, subject: mail.subject.slice(0, 300), text: mail.text })
    .onConflictDoNothing({ target: mailOutbox.key });
}

/** How long a claimed mail is held by its sender before another attempt may take it. */
const LEASE_SECONDS = 60;
const BATCH = 20;

export interface MailDelivery {
  /** Sends what is due now (the loop calls it; tests may too). */
  deliverDue(): Promise<number>;
  close(): Promise<void>;
}

type Due = { id: string; to: string; subject: string; text: string; attempts: number };

export function startMailDelivery(options: { database: Database; transport: Transporter; from: string; logger: Logger; everyMs?: number; leaseSeconds?: number }): MailDelivery {
  const { database, transport, from, logger } = options;
  const lease = Math.max(1, Math.round(options.leaseSeconds ?? LEASE_SECONDS));
  let closed = false;
  let running: Promise<unknown> = Promise.resolve();

  async function deliverDue(): Promise<number> {
    // Claim a batch: each row's next attempt moves a lease ahead, so two senders (two API
    // processes) never take the same mail at once, and a crashed one's comes back.
    const rows = await database.query<Due>(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => ${lease}), attempts = attempts + 1
       WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
       RETURNING id, "to", subject, text, attempts`,
      [],
    );
    for (const mail of rows) {
      // Closing: the rest of the batch goes when its lease runs out (here or elsewhere).
      if (closed) break;
      // The batch's lease may have run out while earlier mails went to a slow server, and
      // another sender may have taken this one since (its attempts moved on): leave it to
      // them. Otherwise hold it for one more lease, for this mail's own send.
      const held = await database.query<{ id: string }>(
        `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => ${lease}) WHERE id = $1 AND attempts = $2 AND sent_at IS NULL RETURNING id`,
        [mail.id, mail.attempts],
      );
      if (!held.length) continue;
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@fieldflow>` });
        await database.query('UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = $1', [mail.id]);
      } catch (err) {
        // Backoff doubles from 2 s up to 10 minutes; the mail stays until it goes.
        const waitSeconds = Math.min(2 ** mail.attempts, 600);
        logger.warn({ err, mailId: mail.id, attempts: mail.attempts, retryInSeconds: waitSeconds }, 'mail not sent; will retry');
        await database.query('UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1', [
          mail.id,
          waitSeconds,
          String((err as Error)?.message ?? err).slice(0, 500),
        ]);
      }
    }
    return rows.length;
  }

  // One round at a time: a tick while a round is under way (a slow or absent server) is
  // skipped, not queued, so rounds never pile up behind it and closing waits for one only.
  let busy = false;
  const timer = setInterval(() => {
    if (closed || busy) return;
    busy = true;
    running = deliverDue()
      .catch((err) => logger.warn({ err }, 'mail delivery round failed; next round retries'))
      .finally(() => {
        busy = false;
      });
  }, options.everyMs ?? 1000);
  timer.unref();

  return {
    deliverDue,
    async close() {
      closed = true;
      clearInterval(timer);
      await running.catch(() => undefined);
      transport.close();
    },
  };
}
