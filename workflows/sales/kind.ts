// The sales project (PRODUCT.md, "The sales project"; seed 001) as a table the kernel
// runs: from onboarding the site to a commissioned, paid installation.
import { proxyActivities } from '@temporalio/workflow';
import type { ProjectKind } from '../projects/kind';
import { SYSTEM, type Project } from '../projects/project';
import type { JobEntry, ProjectEvent } from '../projects/definitions';
import type { Actor } from '../tasks/definitions';
import type { DesignActivities, InstalledAsset, Proposal, SalesData } from './definitions';

type Sales = Project<SalesData>;

const design = proxyActivities<DesignActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
  summary: 'Design tool',
});

const FOLLOW_UP = 'sales.follow_up';
/** A job that ends without its review is run again, this many times in a row at most. */
const JOB_RETRIES = 3;

export const salesKind: ProjectKind<SalesData> = {
  name: 'sales',
  title: 'Sales project',
  stages: ['onboarding', 'quoting', 'considering', 'committing', 'inspection', 'installation', 'completed', 'cancelled'],
  initialData: (input) => ({
    ...(input.customerName ? { customerName: input.customerName } : {}),
    ...(input.siteAddress ? { siteAddress: input.siteAddress } : {}),
    proposals: [],
    closing: [],
    installedAssets: [],
  }),
  closedStage: (outcome) => (outcome === 'completed' ? 'completed' : 'cancelled'),

  begin: (p) => {
    p.moveTo('onboarding', p.state.createdBy);
    p.tasks.create('onboard_site', 'onboarding');
  },

  onTask: {
    onboard_site: (p, x, actor) => {
      p.state.data.site = { phases: x.phases as number, nmi: x.nmi as string, roof: x.roof as string, distributor: x.distributor as string };
      p.moveTo('quoting', actor);
      p.tasks.create('link_design_project', 'quoting');
    },
    link_design_project: (p) => p.enqueue('design.link'),
    sync_design: (p) => p.enqueue('design.sync'),
    follow_up_customer: () => undefined, // followed up; the deadline repeats by itself
    start_installation: (p) => p.startJob('installation'),
    update_quote: (p) => (p.state.data.afterQuote === 'installation' ? toInstallation(p, SYSTEM) : nextClosing(p)),
    update_asset_serials: (p, x, _actor, task) => {
      const assets = x.assets as { assetId?: string; make: string; model: string; serial: string }[];
      assets.forEach((asset, index) =>
        p.outbox.asset({ id: asset.assetId ?? `${task.id}-a${index + 1}`, siteId: p.state.siteId, make: asset.make, model: asset.model, serial: asset.serial, taskId: task.id }),
      );
      nextClosing(p);
    },
    upload_compliance_documents: (p) => nextClosing(p),
    invoice_customer: (p) => {
      p.state.data.invoice = invoiceDraft(p.state.data);
      const { total, currency } = p.state.data.invoice;
      p.outbox.timeline('project', SYSTEM, `Invoice draft: ${(total / 100).toFixed(2)} ${currency}`, { invoice: { ...p.state.data.invoice } });
      nextClosing(p);
    },
    confirm_payment: (p) => nextClosing(p),
  },

  onEvent: {
    'proposal.sent': (p, event, actor) => {
      const foreign = notOurs(p, event);
      if (foreign) return foreign;
      if (p.stage !== 'quoting') return `the project is ${p.stage}, not quoting`;
      p.outbox.timeline('event', actor, 'Proposal sent to the customer', { proposalId: event.proposalId });
      toConsidering(p, actor);
    },
    'proposal.signed': (p, event, actor) => {
      const foreign = notOurs(p, event);
      if (foreign) return foreign;
      if (p.stage !== 'quoting' && p.stage !== 'considering') return `the project is ${p.stage}, not waiting for a signature`;
      p.outbox.timeline('event', actor, 'Proposal signed by the customer', { proposalId: event.proposalId, amount: event.amount });
      if (typeof event.amount === 'number') p.state.data.acceptedAmount = event.amount;
      toCommitting(p, typeof event.proposalId === 'string' ? event.proposalId : undefined, actor);
      // The signed proposal's price and lines, as the tool has them now.
      if (p.state.data.designProjectId) p.enqueue('design.sync');
    },
    'deposit.paid': (p, event, actor) => {
      const foreign = notOurs(p, event);
      if (foreign) return foreign;
      if (p.stage !== 'committing' && p.stage !== 'quoting' && p.stage !== 'considering') return `the project is ${p.stage}, not waiting for a deposit`;
      p.state.data.depositPaid = true;
      // A deposit can arrive before the signature (webhooks are not ordered): kept until then.
      if (p.stage !== 'committing') {
        p.outbox.timeline('event', actor, 'Deposit paid before the signature: kept until the proposal is signed', { amount: event.amount });
        return;
      }
      p.outbox.timeline('event', actor, 'Deposit paid', { amount: event.amount });
      toInspection(p, actor);
    },
  },

  onJob: (p, job) => {
    const review = job.review;
    if (!review?.outcome) return retryJob(p, job);
    if (job.type === 'inspection') {
      if (review.outcome === 'pass') toInstallation(p, SYSTEM);
      else if (review.outcome === 'pass_update_quote') {
        p.state.data.afterQuote = 'installation';
        p.tasks.create('update_quote', 'inspection');
      } else if (review.outcome === 'reinspect') p.startJob('inspection');
      else {
        p.state.data.cancelReason = `the inspection failed: ${String(review.reason ?? 'no reason given')}`;
        p.outbox.timeline('project', SYSTEM, `Cancelled: ${p.state.data.cancelReason}`);
        p.close('cancelled', SYSTEM);
      }
      return;
    }
    if (review.outcome === 'return_to_site') {
      p.startJob('installation', 'rework');
      return;
    }
    // Approved: the close-out, in order, with the conditional tasks only when they apply.
    const installed = (review.installedAssets as InstalledAsset[] | undefined) ?? [];
    p.state.data.installedAssets = [...p.state.data.installedAssets, ...installed];
    p.state.data.afterQuote = 'closing';
    p.state.data.closing = [
      ...(review.quoteUpdateNeeded === true ? ['update_quote'] : []),
      ...(p.state.data.installedAssets.some((asset) => !asset.serial) ? ['update_asset_serials'] : []),
      'upload_compliance_documents',
      'invoice_customer',
      'confirm_payment',
    ];
    nextClosing(p);
  },

  onDeadline: {
    // No signature yet: a follow-up task, again after the same period while it lasts.
    [FOLLOW_UP]: (p, deadline) => {
      if (p.stage !== 'considering') return;
      if (!p.tasks.openOfType('follow_up_customer')) p.tasks.create('follow_up_customer', 'considering');
      p.deadlines.set({ ...deadline, at: Date.now() + followUpAfter(p) });
    },
  },

  effects: {
    'design.link': async (p) => {
      if (p.state.data.designProjectId) return;
      const { designProjectId, url } = await design.linkDesignProject({
        projectId: p.state.projectId,
        customerName: p.state.data.customerName ?? p.state.customerId,
        siteAddress: p.state.data.siteAddress ?? p.state.siteId,
      });
      p.state.data.designProjectId = designProjectId;
      if (url) p.state.data.designUrl = url;
      p.outbox.timeline('project', SYSTEM, `Linked design project ${designProjectId}`, { designProjectId, ...(url ? { url } : {}) });
      p.outbox.touch();
      // Cancelled while the link was made: what was just made is undone too.
      if (p.closed) {
        if (p.state.outcome === 'cancelled') p.enqueue('design.archive');
        return;
      }
      openSync(p);
    },
    'design.sync': async (p) => {
      const designProjectId = p.state.data.designProjectId;
      if (!designProjectId || p.closed) return;
      const { proposals } = await design.syncDesignProposals({ designProjectId });
      p.state.data.proposals = proposals;
      p.outbox.timeline('project', SYSTEM, `Synced ${proposals.length} proposal${proposals.length === 1 ? '' : 's'} from the design tool`, {
        proposals: proposals.map(({ id, status, price }) => ({ id, status, ...(price ? { price } : {}) })),
      });
      p.outbox.touch();
      if (p.closed) return;
      const signed = proposals.find((proposal) => proposal.status === 'signed');
      if (signed && (p.stage === 'quoting' || p.stage === 'considering')) toCommitting(p, signed.id, SYSTEM);
      else if (p.stage === 'quoting' && proposals.some((proposal) => proposal.status === 'sent')) toConsidering(p, SYSTEM);
      if (p.stage === 'quoting' || p.stage === 'considering') openSync(p);
    },
    // Compensation after a cancel: the design tool's project is archived (idempotent there).
    'design.archive': async (p) => {
      if (!p.state.data.designProjectId) return;
      await design.archiveDesignProject({ designProjectId: p.state.data.designProjectId });
      p.outbox.timeline('project', SYSTEM, `Design project ${p.state.data.designProjectId} archived`);
    },
  },

  // The tool refused for good (a 4xx): the task that asked is open again, so a person can retry.
  onEffectFailed: (p, effect) => {
    if (p.closed) return;
    if (effect.kind === 'design.link' && !p.tasks.openOfType('link_design_project')) p.tasks.create('link_design_project', p.stage);
    if (effect.kind === 'design.sync') openSync(p);
  },

  onClose: (p, outcome) => {
    if (outcome === 'cancelled' && p.state.data.designProjectId) p.enqueue('design.archive');
  },

  status: (p) => {
    const { outcome, jobs } = p.state;
    if (outcome === 'completed') return 'completed';
    if (outcome) return 'cancelled';
    if (jobs.some((job) => job.status !== 'done')) return 'in_progress';
    return 'planned';
  },
};

const followUpAfter = (p: Sales) => p.policy.followUpCustomerAfterMs ?? 3 * 86_400_000;

/** `sync_design` can be done again and again while quoting and considering: one stays open. */
function openSync(p: Sales): void {
  if (!p.tasks.openOfType('sync_design')) p.tasks.create('sync_design', p.stage);
}

function toConsidering(p: Sales, actor: Actor): void {
  p.moveTo('considering', actor);
  p.deadlines.set({ id: FOLLOW_UP, at: Date.now() + followUpAfter(p), kind: FOLLOW_UP, summary: 'Follow up the customer' });
}

function toCommitting(p: Sales, proposalId: string | undefined, actor: Actor): void {
  if (proposalId) p.state.data.acceptedProposalId = proposalId;
  p.deadlines.clear((deadline) => deadline.kind === FOLLOW_UP);
  p.tasks.cancel((task) => task.type === 'follow_up_customer' || task.type === 'sync_design' || task.type === 'link_design_project');
  p.moveTo('committing', actor);
  if (p.state.data.depositPaid) toInspection(p, SYSTEM);
}

function toInspection(p: Sales, actor: Actor): void {
  p.moveTo('inspection', actor);
  p.startJob('inspection');
}

/** Design events speak of the linked design project; anything else is not this project's. */
function notOurs(p: Sales, event: ProjectEvent): string | undefined {
  if (!p.state.data.designProjectId) return 'the project has no linked design project yet';
  if (event.designProjectId !== undefined && event.designProjectId !== p.state.data.designProjectId) return 'it is about another design project';
  return undefined;
}

function toInstallation(p: Sales, actor: Actor): void {
  p.moveTo('installation', actor);
  p.tasks.create('start_installation', 'installation');
}

/** The next close-out task, or the end: `completed`. */
function nextClosing(p: Sales): void {
  const [next, ...rest] = p.state.data.closing;
  p.state.data.closing = rest;
  if (next) p.tasks.create(next as Parameters<Sales['tasks']['create']>[0], 'installation');
  else p.close('completed', SYSTEM);
}

const NOT_CARRIED_OUT_LIMIT = 5;

/** A job that ended without its review (it failed, could not start, or was stopped) runs again, a few times. */
function retryJob(p: Sales, job: JobEntry): void {
  // A visit closed as not carried out (no access, the customer away) is done again, and
  // is no failure: it does not count towards giving up.
  if (job.outcome === 'not_carried_out') {
    // Not without end, though: after NOT_CARRIED_OUT_LIMIT visits in a row, a person decides.
    const recent = p.state.jobs.slice(-NOT_CARRIED_OUT_LIMIT);
    if (recent.length === NOT_CARRIED_OUT_LIMIT && recent.every((candidate) => candidate.type === job.type && candidate.outcome === 'not_carried_out')) {
      p.state.data.cancelReason = `the ${job.type} job was not carried out ${NOT_CARRIED_OUT_LIMIT} times in a row`;
      p.outbox.timeline('project', SYSTEM, `Cancelled: ${p.state.data.cancelReason}`);
      p.close('cancelled', SYSTEM);
      return;
    }
    p.outbox.timeline('job', SYSTEM, `The ${job.type} job was not carried out (${job.closeReason ?? 'no reason given'}): a new ${job.type} job starts`, { jobId: job.id });
    p.startJob(job.type, job.variant);
    return;
  }
  const recent = p.state.jobs.slice(-JOB_RETRIES);
  if (recent.length === JOB_RETRIES && recent.every((candidate) => candidate.type === job.type && !candidate.review && candidate.outcome !== 'not_carried_out')) {
    p.state.data.cancelReason = `the ${job.type} job could not be carried out ${JOB_RETRIES} times`;
    p.outbox.timeline('project', SYSTEM, `Cancelled: ${p.state.data.cancelReason}`);
    p.close('cancelled', SYSTEM);
    return;
  }
  p.outbox.timeline('job', SYSTEM, `The ${job.type} job ended without a review: a new ${job.type} job starts`);
  p.startJob(job.type, job.variant);
}

/** From the accepted proposal: its price is the invoice's one line. */
function invoiceDraft(data: SalesData) {
  const proposal: Proposal | undefined = data.proposals.find((candidate) => candidate.id === data.acceptedProposalId);
  const currency = proposal?.price?.currency ?? 'AUD';
  const amount = proposal?.price?.amount ?? data.acceptedAmount ?? 0;
  return {
    ...(proposal ? { proposalId: proposal.id } : {}),
    lines: [{ description: proposal?.title ?? 'System as proposed', amount, currency }],
    total: amount,
    currency,
    createdAt: new Date(Date.now()).toISOString(),
  };
}
