// The job routes' shapes, as the console reads them.
export interface JobCardData {
  job: { id: string; type: string; sequence: number; status: string; outcome?: string; scheduledStart?: string; scheduledEnd?: string; installer?: { id: string; name: string } };
  project: { id: string; kind: string; title?: string };
  site: { address: string; mapsUrl: string; nmi?: string; phases?: number };
  customer: { id?: string; name: string; phone?: string; phoneUrl?: string; email?: string };
  problem: { description?: string; category?: string };
  notes: { taskType: string; title: string; note: string; by: string | null; at: string }[];
  equipment: { id: string; make: string; model: string; serial: string | null; installedAt: string | null }[];
  lastVisits: { id: string; type: string; outcome: string | null; completedAt: string; installerName: string | null }[];
  next: { id: string; type: string; title: string; dueAt?: string }[];
}

export interface JobMessage {
  id: string;
  jobId: string;
  author: { id: string; name: string; role: string };
  body: string;
  documentIds: string[];
  createdAt: string;
}

export interface Trip {
  id: string;
  type: 'field_trip' | 'customer_visit';
  technicianIds: string[];
  plannedStart: string;
  distanceKm?: number;
  startedAt?: string;
  arrivedAt?: string;
  finishedAt?: string;
  createdBy: string;
}

export interface Article {
  id: string;
  number: string;
  name: string;
  unit: string;
  priceCents: number;
  active: boolean;
}

export interface MaterialLine {
  id: string;
  articleId: string;
  articleNumber: string;
  name: string;
  quantity: number;
  unit: string;
  unitPriceCents: number;
}

export type AttachmentKind = 'before' | 'after' | 'photo' | 'handover_signature';

export interface Protocol {
  fault?: string;
  solution?: string;
  materials: MaterialLine[];
  work: { id: string; description: string; technicianId: string; minutes: number }[];
  attachments: { documentId: string; kind: AttachmentKind }[];
  missing: { path: string; message: string }[];
}

export interface WorkOrder {
  version: number;
  documentId: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  url: string;
}

/** A row of the jobs list (GET /jobs). */
export interface JobRow {
  id: string;
  projectId: string;
  projectTitle?: string;
  type: string;
  sequence: number;
  status: 'open' | 'prepared' | 'done';
  outcome?: string;
  installerId?: string;
  installerName?: string;
  scheduledStart?: string;
  scheduledEnd?: string;
  createdAt: string;
  completedAt?: string;
  customerId: string;
  customerName?: string;
  siteId: string;
  address: string;
  overdue: boolean;
}
