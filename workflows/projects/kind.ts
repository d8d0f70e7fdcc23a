// What a project kind brings to the kernel: its stages, what each completed task, event,
// finished job and deadline does, and its customer-facing status. Everything Temporal is
// the kernel's; a kind reads like its section of PRODUCT.md.
import type { TaskTypeName } from '../tasks/catalogue';
import type { Actor, Task } from '../tasks/definitions';
import type { Deadline } from '../tasks/ledger';
import type { Effect, JobEntry, ProjectEvent, ProjectInput, ProjectKindName } from './definitions';
import type { Project } from './project';

export type Payload = Record<string, unknown>;

export interface ProjectKind<D = Record<string, unknown>> {
  name: ProjectKindName;
  /** Display name for the timeline and the Temporal UI ("Service project"). */
  title: string;
  /** The stages in order, ending with the closed one. */
  stages: readonly string[];
  initialData(input: ProjectInput<D>): D;
  /** Opens the first stage's tasks. */
  begin(project: Project<D>): void;
  onTask: Partial<Record<TaskTypeName, (project: Project<D>, payload: Payload, actor: Actor, task: Task) => void>>;
  /** Each returns nothing when it applied the event, or why it ignored it. */
  onEvent: Record<string, (project: Project<D>, event: ProjectEvent, actor: Actor) => string | void>;
  /** A job ended (its outcome is on the entry). */
  onJob(project: Project<D>, job: JobEntry): void;
  onDeadline: Record<string, (project: Project<D>, deadline: Deadline) => void>;
  /** The customer-facing status. */
  status(project: Project<D>): string;
  /** Outside work by kind: each calls its activities and applies the answer; a throw retries it later. */
  effects?: Record<string, (project: Project<D>, effect: Effect) => Promise<void>>;
  /** An effect failed for good (the outside system refused it): reopen what asked for it. */
  onEffectFailed?(project: Project<D>, effect: Effect): void;
  /** The project closed (completed or cancelled): ask for compensations here. */
  onClose?(project: Project<D>, outcome: string, actor: Actor): void;
  /** The stage a closed project shows, by outcome (the last stage when absent). */
  closedStage?(outcome: string): string;
}
