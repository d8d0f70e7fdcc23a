// The QR intake's bodies and answers (zod), parsed by api/routes/qr.ts and declared in the
// OpenAPI document from the same objects.
import { z } from 'zod';

/** What the public form offers to pick; the case's category (routing and statistics use it). */
export const QR_CATEGORIES = ['inverter', 'battery', 'panels', 'meter', 'cabling', 'other'] as const;

// Empty text is the same as leaving a contact field out (a form sends what its inputs hold).
const blank = z.literal('');

export const QrCaseBody = z
  .object({
    description: z.string().trim().min(1, 'describe what is wrong').max(4000, 'at most 4000 characters'),
    category: z.enum(QR_CATEGORIES).optional().meta({ description: 'What it is about (default other)' }),
    contactName: z.string().trim().max(200, 'at most 200 characters').optional().meta({ description: 'Who to contact about it (the person at the site)' }),
    contactPhone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{5,40}$/, 'a phone number: digits, spaces and + ( ) - only')
      .or(blank)
      .optional(),
    contactEmail: z.email('an email address such as name@example.com').max(254).or(blank).optional(),
  })
  .strict()
  .meta({ id: 'QrCaseBody' });

export const QrCaseAnswer = z.object({ caseId: z.string().meta({ description: 'The case number (its project id)' }) }).meta({ id: 'QrCaseAnswer' });

export const QrForm = z
  .object({
    siteAddress: z.string(),
    customerName: z.string(),
    contactName: z.string().optional().meta({ description: "The customer's name as the contact, to change when someone else reports" }),
    phoneOnFile: z.string().optional().meta({ description: 'The last two digits of the phone number on file, e.g. "ending in 21"; never the number' }),
    emailOnFile: z.string().optional().meta({ description: 'The email on file with its name part hidden, e.g. "a…@example.com"' }),
    categories: z.array(z.enum(QR_CATEGORIES)),
  })
  .meta({ id: 'QrForm', description: 'What the public form is prefilled with: only what a person standing at the site may learn' });

export const QrFormat = z.object({ format: z.enum(['png', 'svg']).optional().meta({ description: 'png (default) or svg' }) });

export const QrRevoked = z
  .object({ siteId: z.string(), revoked: z.boolean().meta({ description: 'false when the site had no current code' }) })
  .meta({ id: 'QrRevoked' });

/** The phone on file, as a hint that never tells the number. */
export const phoneHint = (phone: string | null | undefined) => {
  const digits = (phone ?? '').replace(/[^0-9]/g, '');
  return digits.length >= 6 ? `ending in ${digits.slice(-2)}` : undefined;
};

/** The email on file with its name part hidden: the first character and the domain. */
export const emailHint = (email: string | null | undefined) => {
  const match = /^(.)[^@]*@(.+)$/.exec(email ?? '');
  return match ? `${match[1]}…@${match[2]}` : undefined;
};
