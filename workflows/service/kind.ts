// The service project (PRODUCT.md, "The service project"; seed 000) as a table the
// kernel runs: what each completed task, event, finished job and deadline does.
import { SYSTEM, type Project } from '../projects/project';
import type { Payload, ProjectKind } from '../projects/kind';
import type { Actor } from '../tasks/definitions';
import type { CaseStatus, JobType, ServiceData, ServiceOutcome } from './definitions';

type Service = Project<ServiceData>;

const CHASE = 'manufacturer.chase';
const OUTCOMES = ['resolved', 'site_visit_required', 'unable_to_resolve'];
const JOB_TYPES = ['audit', 'replacement'];

export const serviceKind: ProjectKind<ServiceData> = {
  name: 'service',
  title: 'Service project',
  stages: ['requesting', 'investigating', 'servicing', 'reviewing', 'closed'],
  initialData: () => ({}),

  begin: (p) => {
    p.moveTo('requesting', p.state.createdBy);
    p.tasks.create('service_request', 'requesting');
  },

  onTask: {
    service_request: (p, x, actor) => {
      p.state.data.resolution = x.resolution as string;
      if (x.resolution === 'not_required') close(p, 'not_required', actor);
      else if (x.resolution === 'site_visit') visitSite(p, x.jobType as JobType, actor);
      else investigate(p, x.resolution === 'manufacturer' ? 'manufacturer_outcome' : 'internal_review', actor);
    },
    manufacturer_outcome: (p, x, actor) => concludeInvestigation(p, x, actor),
    internal_review: (p, x, actor) => concludeInvestigation(p, x, actor),
    chase_manufacturer: () => undefined, // chased; the chase deadline repeats by itself
    service_review: (p, x, actor) => {
      if (x.outcome === 'resolved') close(p, 'resolved', actor);
      else if (x.outcome === 'cannot_resolve') close(p, 'unresolved', actor);
      else visitSite(p, x.jobType as JobType, actor);
    },
  },

  onEvent: {
    'manufacturer.outcome': (p, event, actor) => {
      const task = p.tasks.openOfType('manufacturer_outcome');
      if (!task) return 'it arrived when no manufacturer outcome was awaited';
      // The API checked the event against its schema; this only guards the transition.
      const { outcome, jobType, note } = event;
      if (!OUTCOMES.includes(outcome as string) || (outcome === 'site_visit_required' && !JOB_TYPES.includes(jobType as string))) {
        return 'it does not fit';
      }
      p.outbox.timeline('event', actor, `Manufacturer outcome received: ${outcome}`, { event: { ...event } });
      const payload: Payload = { outcome, ...(jobType ? { jobType } : {}), ...(typeof note === 'string' ? { note } : {}) };
      p.apply({ taskId: task.id, payload, actor });
    },
  },

  onJob: (p, job) => {
    // A visit that could not be carried out goes to the review like any other, with its reason.
    if (job.outcome === 'not_carried_out') {
      p.outbox.timeline('project', SYSTEM, `Job ${job.sequence} was not carried out: ${job.closeReason ?? 'no reason given'}`, { jobId: job.id });
    }
    p.moveTo('reviewing', SYSTEM);
    p.tasks.create('service_review', 'reviewing');
  },

  onDeadline: {
    // The manufacturer is silent: a chase task, and the chase comes again after the same
    // period for as long as the outcome is awaited.
    [CHASE]: (p, deadline) => {
      if (p.tasks.openOfType('chase_manufacturer')) {
        p.outbox.timeline('task', SYSTEM, 'Still no manufacturer outcome: the chase task is still open');
      } else {
        p.tasks.create('chase_manufacturer', 'investigating');
        p.outbox.timeline('task', SYSTEM, 'No manufacturer outcome yet: follow-up task opened');
      }
      p.deadlines.set({ ...deadline, at: Date.now() + p.policy.chaseManufacturerAfterMs });
    },
  },

  status: (p): CaseStatus => {
    const { outcome, jobs } = p.state;
    if (outcome === 'resolved') return 'completed';
    if (outcome === 'unresolved') return 'problem';
    if (outcome) return 'cancelled';
    if (jobs.some((job) => job.status !== 'done')) return 'in_progress';
    if (jobs.at(-1)?.outcome === 'failed') return 'problem';
    return 'planned';
  },
};

function investigate(p: Service, taskType: 'manufacturer_outcome' | 'internal_review', actor: Actor): void {
  p.moveTo('investigating', actor);
  p.tasks.create(taskType, 'investigating');
  if (taskType === 'manufacturer_outcome') {
    p.deadlines.set({ id: CHASE, at: Date.now() + p.policy.chaseManufacturerAfterMs, kind: CHASE, summary: 'Chase the manufacturer' });
  }
}

function concludeInvestigation(p: Service, x: Payload, actor: Actor): void {
  p.deadlines.clear((deadline) => deadline.kind === CHASE);
  p.tasks.cancel((task) => task.type === 'chase_manufacturer');
  if (x.outcome === 'resolved') close(p, 'resolved', actor);
  else if (x.outcome === 'unable_to_resolve') close(p, 'unresolved', actor);
  else visitSite(p, x.jobType as JobType, actor);
}

function visitSite(p: Service, type: JobType, actor: Actor): void {
  p.moveTo('servicing', actor);
  p.startJob(type);
}

const close = (p: Service, outcome: ServiceOutcome, actor: Actor) => p.close(outcome, actor);
