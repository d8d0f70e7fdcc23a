// What the test run's mail stand-in received (test/support/global-setup.ts starts it).
import type { ReceivedMail } from '../../api/mail';

export async function receivedMails(): Promise<ReceivedMail[]> {
  const url = process.env.FIELDFLOW_TEST_MAILBOX;
  if (!url) throw new Error('FIELDFLOW_TEST_MAILBOX is not set: run the tests with `npm test`');
  const mails = (await (await fetch(url)).json()) as Array<ReceivedMail & { at: string }>;
  return mails.map((mail) => ({ ...mail, at: new Date(mail.at) }));
}

/** The first mail that fits, waiting up to `timeoutMs` for it. */
export async function waitForMail(fits: (mail: ReceivedMail) => boolean, timeoutMs = 20_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await receivedMails();
    const found = mails.find(fits);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no fitting mail within ${timeoutMs} ms; ${mails.length} received`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
