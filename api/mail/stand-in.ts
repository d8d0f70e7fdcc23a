// The local stand-in for the company's mail server (SMTP_URL unset: npm start, tests): an
// SMTP server that keeps what it receives, so tests can read the mails and a person trying
// Fieldflow sees them in the log, links included.
import http from 'node:http';
import type { AddressObject } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../runtime/logger';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId?: string;
  at: Date;
}

export interface MailStandIn {
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL would be. */
  url: string;
  /** With `httpPort`: `GET <inboxUrl>` answers the mails received, as JSON (other processes read it there). */
  inboxUrl?: string;
  received(): ReceivedMail[];
  /** The first mail (received before or within the timeout) that fits. */
  waitFor(fits: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.map((entry) => entry.address ?? '')).filter(Boolean);

export async function startMailStandIn(options: { port: number; host?: string; httpPort?: number; logger: Logger }): Promise<MailStandIn> {
  const mails: ReceivedMail[] = [];
  const waiting = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'Fieldflow mail stand-in',
    size: 1024 * 1024,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            from: addresses(parsed.from)[0] ?? '',
            to: addresses(parsed.to),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
            at: new Date(),
          };
          mails.push(mail);
          options.logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail stand-in received a mail');
          for (const wake of waiting) wake();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  server.on('error', (err) => options.logger.warn({ err }, 'mail stand-in error'));
  const { port } = server.server.address() as { port: number };
  const inbox = options.httpPort === undefined ? undefined : http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(mails));
  });
  if (inbox) await new Promise<void>((resolve) => inbox.listen(options.httpPort, '127.0.0.1', resolve));
  const loopback = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `smtp://${loopback}:${port}`,
    ...(inbox ? { inboxUrl: `http://127.0.0.1:${(inbox.address() as { port: number }).port}/` } : {}),
    received: () => [...mails],
    waitFor(fits, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = mails.find(fits);
          if (!found) return false;
          clearTimeout(timer);
          waiting.delete(check as () => void);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiting.delete(check as () => void);
          reject(new Error(`no fitting mail within ${timeoutMs} ms; received: ${mails.map((m) => `${m.to.join(',')} "${m.subject}"`).join('; ') || 'none'}`));
        }, timeoutMs);
        if (!check()) waiting.add(check as () => void);
      });
    },
    async close() {
      if (inbox) await new Promise<void>((resolve) => inbox.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
