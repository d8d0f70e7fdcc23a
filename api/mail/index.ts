// Mail for the API process: SMTP_URL's server, or the local stand-in when it is unset, with
// the delivery loop that empties the outbox into it.
import nodemailer from 'nodemailer';
import type { Database } from '../../db';
import type { Config } from '../../runtime/config';
import type { Logger } from '../../runtime/logger';
import { startMailDelivery, type MailDelivery } from './outbox';
import { startMailStandIn, type MailStandIn } from './stand-in';

export { queueMail, type OutgoingMail } from './outbox';
export type { MailStandIn, ReceivedMail } from './stand-in';

export interface OpenMail {
  delivery: MailDelivery;
  /** Present when SMTP_URL is unset. */
  standIn?: MailStandIn;
  close(): Promise<void>;
}

export async function openMail(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailStandInPort'>, options: { database: Database; logger: Logger }): Promise<OpenMail> {
  const standIn = config.smtpUrl ? undefined : await startMailStandIn({ port: config.mailStandInPort, logger: options.logger });
  const transport = nodemailer.createTransport(config.smtpUrl ?? { url: standIn!.url, ignoreTLS: true });
  const delivery = startMailDelivery({ database: options.database, transport, from: config.mailFrom, logger: options.logger });
  return {
    delivery,
    ...(standIn ? { standIn } : {}),
    async close() {
      await delivery.close();
      await standIn?.close();
    },
  };
}
