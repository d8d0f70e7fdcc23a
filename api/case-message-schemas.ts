// A case's thread (API.md, "Routes for the customer side"): what the customer's contacts and
// the office write to each other about one case. Kept apart from schemas.ts so the contract
// reads on its own; the OpenAPI document is generated from these too.
import { z } from 'zod';

const id = z.string().min(1);
const time = z.iso.datetime({ offset: true });

export const MAX_CASE_MESSAGE_LENGTH = 4000;
export const MAX_CASE_MESSAGE_DOCUMENTS = 10;

export const CaseMessageBody = z
  .object({
    body: z.string().trim().min(1, 'write a message').max(MAX_CASE_MESSAGE_LENGTH, `a message has at most ${MAX_CASE_MESSAGE_LENGTH} characters`),
    documentIds: z
      .array(id)
      .max(MAX_CASE_MESSAGE_DOCUMENTS, `attach at most ${MAX_CASE_MESSAGE_DOCUMENTS} documents`)
      .optional()
      .meta({ description: "Documents of this project, already uploaded, that the case's customer may read too" }),
  })
  .strict()
  .meta({ id: 'CaseMessageBody' });

export const CaseMessage = z
  .object({
    id,
    projectId: id,
    author: z
      .object({
        id: id.meta({ description: "The author's user id; `office` for a staff author when a customer reads" }),
        name: z.string(),
        role: z.string().meta({ description: 'The role for staff readers; `customer` or `office` for customers' }),
      })
      .meta({ id: 'CaseMessageAuthor' }),
    body: z.string(),
    documentIds: z.array(id),
    createdAt: time,
  })
  .meta({ id: 'CaseMessage' });

export const CaseMessagePage = z.object({ items: z.array(CaseMessage), nextCursor: z.string().nullable() }).meta({ id: 'CaseMessagePage' });

export const CaseMessageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(100),
    cursor: z.string().optional(),
  })
  .meta({ id: 'CaseMessageQuery' });
