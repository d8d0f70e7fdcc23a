// The shapes of the oversight routes (GET /notifications, GET /supervisor/overview,
// /users, /articles), as the console reads them.
import type { Page, Role } from './types';

export interface AppNotification {
  id: string;
  projectId: string;
  projectTitle?: string;
  taskId?: string;
  kind: string;
  summary: string;
  recipient: string;
  at: string;
  read: boolean;
}

export interface NotificationPage extends Page<AppNotification> {
  unreadCount: number;
}

export interface Workload {
  assignee: string;
  name: string;
  role?: string;
  open: number;
  overdue: number;
  escalated: number;
  members?: number;
}

export interface WorkItem {
  taskId: string;
  type: string;
  title: string;
  projectId: string;
  projectTitle?: string;
  customerName: string;
  assignee?: string;
  assigneeName: string;
  createdAt: string;
  dueAt?: string;
  overdueAt?: string;
  escalatedAt?: string;
  reason?: string;
  estimateCents?: number;
}

export interface SupervisorOverview {
  totals: { open: number; overdue: number; escalated: number; approvals: number };
  people: Workload[];
  groups: Workload[];
  overdue: WorkItem[];
  approvals: WorkItem[];
}

export interface UserAccount {
  id: string;
  email: string;
  name: string;
  role: Role;
  customerId?: string;
  disabled: boolean;
  createdAt: string;
}

export interface Article {
  id: string;
  number: string;
  name: string;
  unit: string;
  priceCents: number;
  active: boolean;
  createdAt: string;
}
