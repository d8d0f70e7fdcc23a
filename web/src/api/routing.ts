// The shapes of routing (API.md, "Routes for the customer side"): staff groups and
// responsibility rules, as the console reads them.
import type { Person } from './types';

export interface StaffGroup {
  id: string;
  name: string;
  /** What a task routed to the group has as its assignee: `group:<id>`. */
  assignee: string;
  members: Person[];
  createdAt: string;
}

export interface RoutingRule {
  id: string;
  priority: number;
  customerId?: string;
  customerName?: string;
  siteId?: string;
  siteAddress?: string;
  category?: string;
  targetUserId?: string;
  targetGroupId?: string;
  targetName: string;
  assignee: string;
  createdBy: string;
  createdAt: string;
  updatedAt?: string;
}
