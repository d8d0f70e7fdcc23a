// The shapes of the customer and site routes, as the console reads them.
import type { Customer, Project, Site } from '../api/types';

export interface Edited {
  updatedAt?: string;
  /** The editor's display name. */
  updatedBy?: string;
}

export type CustomerDetail = Customer & Edited;

export interface SiteDetail extends Site, Edited {
  mapsUrl: string;
  customer: { id: string; name: string };
}

export interface Contact {
  kind: 'primary' | 'portal_user';
  name: string;
  phone?: string;
  phoneUrl?: string;
  email?: string;
}

export interface ProjectSummary {
  id: string;
  kind: 'sales' | 'service';
  title?: string;
  stage: string;
  outcome?: string;
  customerStatus: Project['status'];
  siteId: string;
  siteAddress: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

export interface CustomerOverview {
  customer: CustomerDetail;
  contacts: Contact[];
  sites: Omit<SiteDetail, 'customer'>[];
  openProjects: ProjectSummary[];
  pastProjects: ProjectSummary[];
  documents: { id: string; name: string; size: number; contentType: string; projectId: string; projectTitle?: string; createdAt: string }[];
}

export interface SiteVisit {
  id: string;
  type: string;
  status: string;
  outcome?: string;
  scheduledStart?: string;
  completedAt?: string;
  installer?: { id: string; name: string };
}

export interface SiteHistory {
  items: (ProjectSummary & { jobs: SiteVisit[] })[];
}
