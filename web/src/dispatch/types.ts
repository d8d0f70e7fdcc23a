// The dispatch board as GET /dispatch answers it.
export interface DispatchJob {
  id: string;
  projectId: string;
  projectTitle?: string;
  type: string;
  sequence: number;
  status: 'open' | 'prepared' | 'done';
  outcome?: string;
  installerId?: string;
  scheduledStart?: string;
  scheduledEnd?: string;
  customerId: string;
  customerName: string;
  siteId: string;
  address: string;
  openTaskTypes: string[];
}

export interface Lane {
  installerId: string;
  name: string;
  disabled: boolean;
  jobs: DispatchJob[];
}

export interface Board {
  from: string;
  to: string;
  lanes: Lane[];
  queue: DispatchJob[];
  queueTotal: number;
}

export const jobName = (job: { type: string; sequence: number }) => `${job.type.charAt(0).toUpperCase()}${job.type.slice(1)} job ${job.sequence}`;

/** Where a job stands, in the office's words. */
export function jobState(job: DispatchJob): string {
  if (job.status === 'done') return job.outcome === 'cancelled' ? 'Cancelled' : job.outcome === 'not_carried_out' ? 'Not carried out' : 'Done';
  const confirming = job.openTaskTypes.some((type) => type === 'confirm_job' || type === 'start_job');
  if (confirming && !job.openTaskTypes.includes('accept_schedule_job') && !job.scheduledStart) return 'Not confirmed yet';
  if (!job.installerId) return 'Offered to installers';
  if (!job.scheduledStart) return 'No appointment yet';
  return 'Booked';
}

/** An appointment without a booked end lasts this long on the board. */
export const DEFAULT_DURATION_MS = 2 * 3600_000;

export const durationOf = (job: DispatchJob): number =>
  job.scheduledStart && job.scheduledEnd ? Date.parse(job.scheduledEnd) - Date.parse(job.scheduledStart) : DEFAULT_DURATION_MS;
