// The design tool's HTTP API, as the client sends it and the stand-in answers it. All
// bodies are JSON; every `/v1` call carries `Authorization: Bearer <api key>`.
//
//   POST /v1/projects                      {externalId, customerName, siteAddress}
//                                          -> 201 project (200 with the same project when
//                                             externalId is already linked)
//   GET  /v1/projects/:id                  -> project
//   GET  /v1/projects/:id/proposals        -> {items: [proposal]}
//   POST /v1/projects/:id/archive          -> project (status archived; again: the same)
//
// Errors answer {error: {code, message}} with a 4xx or 5xx status.
import { z } from 'zod';

export const ProposalStatusSchema = z.enum(['draft', 'sent', 'signed', 'declined']);

export const MoneySchema = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export const WireProposal = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: ProposalStatusSchema,
  price: MoneySchema,
  updatedAt: z.string().min(1),
});

export const WireProject = z.object({
  id: z.string().min(1),
  externalId: z.string().min(1),
  customerName: z.string(),
  siteAddress: z.string(),
  status: z.enum(['active', 'archived']),
  url: z.string().min(1),
  createdAt: z.string(),
  archivedAt: z.string().optional(),
});
export type WireProject = z.infer<typeof WireProject>;

export const CreateProjectBody = z.object({
  externalId: z.string().min(1).max(200),
  customerName: z.string().min(1).max(500),
  siteAddress: z.string().min(1).max(1000),
});

export const ProposalList = z.object({ items: z.array(WireProposal) });

export const DesignEventSchema = z.object({
  type: z.enum(['proposal.sent', 'proposal.signed', 'deposit.paid']),
  projectId: z.string().min(1),
  designProjectId: z.string().min(1),
  proposalId: z.string().min(1),
  amount: z.number().int().nonnegative().optional(),
});
