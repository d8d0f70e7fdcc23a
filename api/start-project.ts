// Starting a project, whoever asks: the office (POST /projects, POST /cases), a customer in
// the portal, the public QR form and a maintenance plan's schedule all come through here,
// so every case is the same workflow with the same business key (`service-<projectId>`).
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { cases } from '../db/schema';
import type { Database } from '../db';
import type { Config } from '../runtime/config';
import { projectWorkflowId } from '../workflows/ids';
import { CustomerIdKey, ProjectKindKey, ProjectStageKey, SiteIdKey } from '../workflows/search-attributes';
import type { SalesProjectInput } from '../workflows/sales/definitions';
import type { ServiceProjectInput } from '../workflows/service/definitions';
import type { Actor } from '../workflows/tasks/definitions';
import { settledUpdate } from '../workflows/tasks/definitions';
import { unavailable } from './problem';
import { projectView } from './views';

export const CASE_KINDS = ['issue', 'request', 'deviation', 'maintenance'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export type CaseSource = 'office' | 'portal' | 'qr' | 'plan';

const KIND_WORDS: Record<CaseKind, string> = { issue: 'Issue', request: 'Request', deviation: 'Deviation', maintenance: 'Maintenance' };

/** A case's project title: its kind and category, e.g. "Deviation: inverter". */
export const caseTitle = (kind: CaseKind, category: string): string => `${KIND_WORDS[kind]}: ${category}`.slice(0, 200);

/** What a service case is raised with; kept in `cases` (see db/schema.ts). */
export interface CaseRequest {
  kind: CaseKind;
  category: string;
  description: string;
  source: CaseSource;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  planId?: string;
}

export interface ProjectStart {
  kind: 'service' | 'sales';
  /** Decided by the caller: new, the one an idempotency key made, or derived (a plan's run). */
  projectId: string;
  customer: { id: string; name: string };
  site: { id: string; address: string };
  title?: string;
  createdBy: Actor;
  raisedBy?: 'customer' | 'staff';
  /** A service case's request (category, description, source). */
  request?: CaseRequest;
  /**
   * False when `projectId` was just made (no Idempotency-Key): nothing can exist under it,
   * so the look for an earlier start is skipped. Default true (a key's id, a plan run's id).
   */
  mayExist?: boolean;
  /** Runs once before a project that does not exist yet starts (a sales site's reservation). */
  beforeStart?: () => Promise<void>;
}

export interface StartDeps {
  database: Database;
  temporal: Client;
  config: Pick<Config, 'taskQueue' | 'policy' | 'updateTimeoutMs'>;
}

/**
 * Starts the project, or finds the one with this id, and answers its view once the read
 * model has its first state. Safe to repeat with the same id: a running project is used as
 * it is, a closed one answers what it was and never starts again. 503 (retry with the same
 * id) when the read model is not there within the update timeout.
 */
export async function startProject({ database, temporal, config }: StartDeps, start: ProjectStart): Promise<NonNullable<Awaited<ReturnType<typeof projectView>>>> {
  const { projectId, customer, site } = start;
  const existing = start.mayExist === false ? undefined : await projectView(database, projectId);
  if (existing?.outcome) return existing;
  if (!existing) await start.beforeStart?.();
  // The request first: whatever happens after, what the customer wrote is kept.
  if (start.request) {
    const { request } = start;
    await database.db
      .insert(cases)
      .values({
        projectId,
        kind: request.kind,
        category: request.category,
        description: request.description,
        source: request.source,
        contactName: request.contactName ?? null,
        contactPhone: request.contactPhone ?? null,
        contactEmail: request.contactEmail ?? null,
        planId: request.planId ?? null,
      })
      .onConflictDoNothing();
  }
  const input: ServiceProjectInput | SalesProjectInput = {
    projectId,
    customerId: customer.id,
    siteId: site.id,
    ...(start.title ? { title: start.title } : {}),
    customerName: customer.name,
    siteAddress: site.address,
    createdBy: start.createdBy,
    ...(start.kind === 'service' && start.raisedBy ? { raisedBy: start.raisedBy } : {}),
    policy: config.policy,
  };
  const kindTitle = start.kind === 'sales' ? 'Sales project' : 'Service project';
  const operation = new WithStartWorkflowOperation(start.kind === 'sales' ? 'salesProject' : 'serviceProject', {
    workflowId: projectWorkflowId(start.kind, projectId),
    taskQueue: config.taskQueue,
    args: [input],
    // A repeated start lands on the project it already made while it runs, and a closed
    // project is never started again.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    // What an admin sees in the Temporal UI's list, without opening payloads.
    staticSummary: `${kindTitle}: ${start.title ?? 'untitled'} · ${customer.name} · ${site.address}`.slice(0, 200),
    staticDetails: `customer ${customer.id}, site ${site.id}, created by ${start.createdBy.name ?? start.createdBy.id} (${start.createdBy.role})${start.request ? `, ${start.request.source}` : ''}`,
    typedSearchAttributes: [
      { key: ProjectKindKey, value: start.kind },
      { key: ProjectStageKey, value: start.kind === 'sales' ? 'onboarding' : 'requesting' },
      { key: CustomerIdKey, value: customer.id },
      { key: SiteIdKey, value: site.id },
    ],
  });
  const deadline = Date.now() + config.updateTimeoutMs;
  try {
    // Answers once the workflow has written its first state, so the view below is complete.
    await temporal.withDeadline(deadline, () => temporal.workflow.executeUpdateWithStart(settledUpdate, { args: [{}], startWorkflowOperation: operation }));
  } catch (err) {
    // The project closed between our look and the start: the reuse policy refused it.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError || (err as Error)?.cause instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  // The workflow runs; its first state may not be in the read model yet when PostgreSQL
  // was away (the write is retried). Wait for it within the deadline, else 503.
  let view = await projectView(database, projectId);
  while (!view && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    view = await projectView(database, projectId);
  }
  if (!view) throw unavailable('the project is started but not in the read model yet; retry with the same Idempotency-Key');
  return view;
}
