// The service project (PRODUCT.md, "The service project"; seed 000) as a table the
// kernel runs: what each completed task, event, finished job and deadline does.
import { patched, proxyActivities } from '@temporalio/workflow';
import { SYSTEM, type Project } from '../projects/project';
import type { Payload, ProjectKind } from '../projects/kind';
import type { Actor } from '../tasks/definitions';
import type { CaseStatus, ErpActivities, JobType, ServiceData, ServiceOutcome } from './definitions';

type Service = Project<ServiceData>;

const CHASE = 'manufacturer.chase';
/**
 * 2026-11: a service order over the approval limit, or raised by a customer, waits for a
 * supervisor (seed 003). Opening that task is a new command where the request used to
 * act at once, so histories from before take the old branch on replay.
 */
export const APPROVAL_PATCH = '2026-11-service-approval';
/**
 * 2026-11: a resolved case pushes its order (its article registrations) to the ERP. The
 * push is a new command at close, so histories from before close without it on replay.
 */
export const ERP_ORDER_PATCH = '2026-11-erp-order';
const ERP_ORDER = 'erp.order';

// A few quick attempts inside one activity; past them the project's effect retries with
// backoff until the ERP takes the order (the key makes every attempt the same order).
const erp = proxyActivities<ErpActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['ErpRejected'] },
  summary: 'ERP order',
});

const OUTCOMES = ['resolved', 'site_visit_required', 'unable_to_resolve'];
const JOB_TYPES = ['audit', 'replacement'];

export const serviceKind: ProjectKind<ServiceData> = {
  name: 'service',
  title: 'Service project',
  stages: ['requesting', 'investigating', 'servicing', 'reviewing', 'closed'],
  initialData: (input) => (input.raisedBy === 'customer' || input.createdBy.role === 'customer' ? { raisedBy: 'customer' } : {}),

  begin: (p) => {
    p.moveTo('requesting', p.state.createdBy);
    p.tasks.create('service_request', 'requesting');
  },

  onTask: {
    service_request: (p, x, actor) => {
      p.state.data.resolution = x.resolution as string;
      const why = x.resolution === 'not_required' ? undefined : approvalReason(p, x);
      if (why && patched(APPROVAL_PATCH)) {
        const estimateCents = typeof x.estimateCents === 'number' ? x.estimateCents : undefined;
        p.state.data.awaitingApproval = { resolution: x.resolution as string, ...(x.jobType ? { jobType: x.jobType as JobType } : {}), ...(estimateCents !== undefined ? { estimateCents } : {}) };
        p.tasks.create('approve_service_order', 'requesting');
        p.outbox.timeline('task', SYSTEM, `Approval needed: ${why}`, { reason: why, ...(estimateCents !== undefined ? { estimateCents } : {}) });
        return;
      }
      resolve(p, x, actor);
    },
    approve_service_order: (p, x, actor) => {
      const order = p.state.data.awaitingApproval;
      p.state.data.awaitingApproval = undefined;
      if (x.decision === 'reject') {
        p.outbox.timeline('project', actor, `Service order rejected: ${x.reason as string}`, { reason: x.reason, decision: 'reject' });
        close(p, 'rejected', actor);
        return;
      }
      p.state.data.approved = { by: { id: actor.id, role: actor.role, ...(actor.name ? { name: actor.name } : {}) }, at: new Date(Date.now()).toISOString() };
      p.outbox.timeline('task', actor, 'Service order approved', { decision: 'approve' });
      resolve(p, { ...order }, actor);
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

  effects: {
    // Exactly one order per resolved case: the ERP answers the project id it has seen with the order it made.
    [ERP_ORDER]: async (p) => {
      if (p.state.data.erpOrderId) return;
      const result = await erp.pushErpOrder({ projectId: p.state.projectId, ...(p.state.closedAt ? { closedAt: p.state.closedAt } : {}) });
      if ('skipped' in result) {
        p.outbox.timeline('project', SYSTEM, 'No ERP order: the case has no article registrations');
        return;
      }
      p.state.data.erpOrderId = result.orderId;
      p.outbox.timeline('project', SYSTEM, `ERP order ${result.orderId}: ${result.lines} line${result.lines === 1 ? '' : 's'}, ${cents(result.totalCents)} ${result.currency}`, {
        erpOrderId: result.orderId,
        totalCents: result.totalCents,
        currency: result.currency,
      });
    },
  },

  onClose: (p, outcome) => {
    if (outcome === 'resolved' && patched(ERP_ORDER_PATCH)) p.enqueue(ERP_ORDER);
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

/** Why the order needs a supervisor's approval (seed 003), or undefined when it does not. */
function approvalReason(p: Service, x: Payload): string | undefined {
  if (p.state.data.raisedBy === 'customer') return 'the case was raised by the customer';
  const limit = p.policy.approvalLimitCents;
  if (limit !== undefined && typeof x.estimateCents === 'number' && x.estimateCents > limit) {
    return `the estimate ${cents(x.estimateCents)} is over the limit of ${cents(limit)}`;
  }
  return undefined;
}

const cents = (value: number) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

/** The request acted on, at once or once approved: by its resolution. */
function resolve(p: Service, x: Payload, actor: Actor): void {
  if (x.resolution === 'not_required') close(p, 'not_required', actor);
  else if (x.resolution === 'site_visit') visitSite(p, x.jobType as JobType, actor);
  else investigate(p, x.resolution === 'manufacturer' ? 'manufacturer_outcome' : 'internal_review', actor);
}

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
  const job = p.startJob(type);
  // Every visit of an approved order carries the approval (its work order starts from it).
  if (p.state.data.approved) job.approved = p.state.data.approved;
}

const close = (p: Service, outcome: ServiceOutcome, actor: Actor) => p.close(outcome, actor);
