// The shapes of routing: staff groups and responsibility rules (admin-managed), and the
// claim of a group's task. Parsed with these, and documented from them in /openapi.json.
import { z } from 'zod';

const id = z.string().min(1).max(100);
const time = z.iso.datetime({ offset: true });

const memberIds = z
  .array(id)
  .max(200)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'a member appears twice' })
  .meta({ description: 'User ids of office staff (admin, supervisor, ops); the whole list' });

export const GroupBody = z
  .object({
    name: z.string().trim().min(1).max(100).meta({ description: 'Unique, e.g. "Service North"' }),
    memberIds,
  })
  .strict()
  .meta({ id: 'GroupBody' });

const Person = z.object({ id, name: z.string(), role: z.string() });

export const Group = z
  .object({
    id,
    name: z.string(),
    assignee: z.string().meta({ description: 'What a task routed to the group has as its assignee: `group:<id>`' }),
    members: z.array(Person),
    createdAt: time,
  })
  .meta({ id: 'Group' });

const priority = z.number().int().min(0).max(1_000_000).meta({ description: 'Lower first: the first matching rule by priority wins' });
const condition = (what: string) => id.nullable().optional().meta({ description: `Only ${what}; null or left out matches any` });
const category = z.string().trim().min(1).max(100).nullable().optional().meta({ description: 'Only cases of this category (compared without case); null or left out matches any' });

const ruleFields = {
  priority,
  customerId: condition("this customer's projects"),
  siteId: condition("this site's projects"),
  category,
  targetUserId: id.optional().meta({ description: 'The person new tasks go to (office staff); give this or targetGroupId' }),
  targetGroupId: id.optional().meta({ description: 'The staff group new tasks go to; its members all see them and one takes each' }),
};

const oneTarget = (rule: { targetUserId?: string; targetGroupId?: string }) => (rule.targetUserId === undefined) !== (rule.targetGroupId === undefined);

export const RoutingRuleBody = z
  .object(ruleFields)
  .strict()
  .refine(oneTarget, { message: 'give exactly one of targetUserId and targetGroupId', path: ['targetUserId'] })
  .meta({ id: 'RoutingRuleBody' });

export const RoutingRulePatch = z
  .object({ ...ruleFields, priority: priority.optional() })
  .strict()
  .refine((rule) => rule.targetUserId === undefined || rule.targetGroupId === undefined, { message: 'give at most one of targetUserId and targetGroupId', path: ['targetUserId'] })
  .meta({ id: 'RoutingRulePatch', description: 'The fields to change; a new target replaces the old one, null clears a condition' });

export const RoutingRule = z
  .object({
    id,
    priority: z.number().int(),
    customerId: id.optional(),
    customerName: z.string().optional(),
    siteId: id.optional(),
    siteAddress: z.string().optional(),
    category: z.string().optional(),
    targetUserId: id.optional(),
    targetGroupId: id.optional(),
    targetName: z.string().meta({ description: "The person's or the group's name" }),
    assignee: z.string().meta({ description: 'The assignee a routed task gets: the user id or `group:<id>`' }),
    createdBy: z.string(),
    createdAt: time,
    updatedAt: time.optional(),
  })
  .meta({ id: 'RoutingRule' });
