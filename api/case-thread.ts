// A case's thread: who hears of a new message, and how. Everything here runs in the
// transaction that writes the message, so the message, its timeline entry, the
// notifications and the mails commit together or not at all (mail goes out afterwards
// from the outbox, once per key).
//
// A customer's message goes to the staff member responsible for the case:
//   1. the holder of the case's oldest open task (who took it, else its assignee) when that
//      is a person of the office, or the members of the staff group a routing rule gave it
//      to (a group notification, a mail each);
//   2. else whoever of the office last wrote in the thread;
//   3. else the office: a `group:ops` notification, and a mail to OFFICE_EMAIL or, when that
//      is unset, to every active ops user.
// The office's message goes to the customer's contacts: every active customer user of the
// case's customer (a notification and a mail each) and the contact the case was raised
// with (its `contactEmail`, a QR form's sender: a mail only).
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { caseMessages, cases, customers, notifications, staffGroupMembers, tasks, timeline, users } from '../db/schema';
import type { Config } from '../runtime/config';
import { STAFF_ROLES, staffGroupOf } from './access';
import type { User } from './auth';
import { queueMail } from './mail';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type MessageRow = typeof caseMessages.$inferSelect;

export interface CaseFacts {
  id: string;
  customerId: string;
  title: string | null;
}

interface Person {
  id: string;
  email: string;
  name: string;
}

const OFFICE_GROUP = 'group:ops';
const SUMMARY_CHARS = 200;
const MAIL_CHARS = 1000;

const excerpt = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

/** The message as a reader may see it: customers see the office's writers by name, not by id or role. */
export function caseMessageView(reader: Pick<User, 'role'>, row: MessageRow) {
  const staffReader = STAFF_ROLES.includes(reader.role);
  const name = row.authorName ?? (row.authorRole === 'customer' ? 'Customer' : 'Office');
  const author = staffReader
    ? { id: row.authorId, name, role: row.authorRole }
    : row.authorRole === 'customer'
      ? { id: row.authorId, name, role: 'customer' }
      : { id: 'office', name, role: 'office' };
  return { id: row.id, projectId: row.projectId, author, body: row.body, documentIds: row.documentIds, createdAt: row.createdAt.toISOString() };
}

/** Who is told of a customer's message: a person of the office, or a staff group's members. */
export type Responsible = { person: Person } | { group: string; members: Person[] };

/** The staff member (or routed staff group) responsible for the case (see the top of this file), or undefined: the office. */
export async function responsibleStaff(db: Tx | Db, projectId: string): Promise<Responsible | undefined> {
  const person = { id: users.id, email: users.email, name: users.name };
  const active = and(inArray(users.role, [...STAFF_ROLES]), isNull(users.disabledAt));
  // The case's open tasks, oldest first: the first held by or assigned to a person of the
  // office, or routed to a staff group with members, decides.
  const open = await db
    .select({ assignee: tasks.assignee, claimedBy: tasks.claimedBy })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), eq(tasks.status, 'open')))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  for (const task of open) {
    const holder = task.claimedBy ?? task.assignee;
    if (!holder) continue;
    const groupId = staffGroupOf(holder);
    if (groupId) {
      const members = await db
        .select(person)
        .from(staffGroupMembers)
        .innerJoin(users, eq(users.id, staffGroupMembers.userId))
        .where(and(eq(staffGroupMembers.groupId, groupId), active))
        .orderBy(asc(users.id));
      if (members.length) return { group: holder, members };
      continue;
    }
    const [staff] = await db.select(person).from(users).where(and(eq(users.id, holder), active));
    if (staff) return { person: staff };
  }
  const [lastWriter] = await db
    .select(person)
    .from(caseMessages)
    .innerJoin(users, eq(users.id, caseMessages.authorId))
    .where(and(eq(caseMessages.projectId, projectId), inArray(caseMessages.authorRole, [...STAFF_ROLES]), active))
    .orderBy(desc(caseMessages.createdAt), desc(caseMessages.id))
    .limit(1);
  return lastWriter ? { person: lastWriter } : undefined;
}

/** Writes the message's timeline entry and tells the other side; run in the message's transaction. */
export async function announceCaseMessage(tx: Tx, config: Pick<Config, 'publicUrl' | 'officeEmail'>, project: CaseFacts, message: MessageRow): Promise<void> {
  const fromCustomer = message.authorRole === 'customer';
  const authorName = message.authorName ?? message.authorId;
  await tx
    .insert(timeline)
    .values({
      id: `${message.id}-t`,
      projectId: project.id,
      at: message.createdAt,
      kind: 'case_message',
      actorId: message.authorId,
      actorRole: message.authorRole,
      summary: `${authorName}: ${excerpt(message.body, SUMMARY_CHARS)}`,
      data: {
        messageId: message.id,
        from: fromCustomer ? 'customer' : 'office',
        authorName,
        excerpt: excerpt(message.body, SUMMARY_CHARS),
        ...(message.documentIds.length ? { documentIds: message.documentIds } : {}),
      },
    })
    .onConflictDoNothing();

  const title = project.title ?? 'your case';
  const base = config.publicUrl ?? '';
  const notify = async (recipient: string, index: number, summary: string) =>
    tx
      .insert(notifications)
      .values({ id: `${message.id}-n${index}`, projectId: project.id, recipient, kind: 'case.message', summary: excerpt(summary, 300), at: message.createdAt })
      .onConflictDoNothing();
  const mail = (to: string, subject: string, text: string) => queueMail(tx, { key: `case-message:${message.id}:${to.toLowerCase()}`, to, subject, text });

  if (fromCustomer) {
    const [customer] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, project.customerId));
    const who = customer ? `${authorName} (${customer.name})` : authorName;
    const summary = `${who} wrote on ${title}: ${excerpt(message.body, 120)}`;
    const subject = `New message from ${customer?.name ?? 'a customer'}: ${title}`;
    const text = `${who} wrote on the case "${title}":\n\n${excerpt(message.body, MAIL_CHARS)}\n\nOpen the case: ${base}/projects/${project.id}\n`;
    const responsible = await responsibleStaff(tx, project.id);
    if (responsible && 'person' in responsible) {
      await notify(responsible.person.id, 0, summary);
      await mail(responsible.person.email, subject, text);
      return;
    }
    if (responsible) {
      // A staff group's members read the group's notifications; each gets the mail.
      await notify(responsible.group, 0, summary);
      for (const member of responsible.members) await mail(member.email, subject, text);
      return;
    }
    await notify(OFFICE_GROUP, 0, summary);
    const office = config.officeEmail
      ? [config.officeEmail]
      : (await tx.select({ email: users.email }).from(users).where(and(eq(users.role, 'ops'), isNull(users.disabledAt))).orderBy(asc(users.id))).map((row) => row.email);
    for (const to of office) await mail(to, subject, text);
    return;
  }

  // The office wrote: the customer's contacts hear of it, and nobody of another customer.
  const contacts = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'customer'), eq(users.customerId, project.customerId), isNull(users.disabledAt)))
    .orderBy(asc(users.id));
  const [raised] = await tx.select({ contactEmail: cases.contactEmail }).from(cases).where(eq(cases.projectId, project.id));
  const subject = `New message about your case: ${title}`;
  const text = `${authorName} wrote about your case "${title}":\n\n${excerpt(message.body, MAIL_CHARS)}\n\nRead and reply: ${base}/cases/${project.id}\n`;
  let index = 0;
  for (const contact of contacts) {
    await notify(contact.id, index++, `${authorName} wrote on ${title}: ${excerpt(message.body, 120)}`);
    await mail(contact.email, subject, text);
  }
  // The mail key is per address, so a contact who is also a user gets one mail.
  if (raised?.contactEmail) await mail(raised.contactEmail, subject, text);
}
