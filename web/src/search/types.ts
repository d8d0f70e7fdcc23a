// GET /search's answer (API: SearchAnswer).
import type { CustomerStatus } from '../api/types';

export interface ProjectHit {
  id: string;
  kind: 'sales' | 'service';
  title?: string;
  stage: string;
  status: string;
  outcome?: string;
  customerStatus: CustomerStatus;
  customerId: string;
  customerName: string;
  siteId: string;
  siteAddress: string;
  createdAt: string;
  matched: 'number' | 'job' | 'title' | 'customer' | 'site';
  jobId?: string;
}

export interface CustomerHit {
  id: string;
  name: string;
  email?: string;
  phone?: string;
}

export interface SiteHit {
  id: string;
  customerId: string;
  customerName: string;
  address: string;
}

export interface SearchAnswer {
  query: string;
  projects: ProjectHit[];
  customers: CustomerHit[];
  sites: SiteHit[];
}
