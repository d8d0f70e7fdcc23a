// The job routes' shapes, as the console reads them.
export interface JobCardData {
  job: { id: string; type: string; sequence: number; status: string; outcome?: string; scheduledStart?: string; installer?: { id: string; name: string } };
  project: { id: string; kind: string; title?: string };
  site: { address: string; mapsUrl: string; nmi?: string; phases?: number };
  customer: { name: string; phone?: string; phoneUrl?: string; email?: string };
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
