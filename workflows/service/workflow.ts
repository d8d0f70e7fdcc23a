// serviceProject: one per service case, from request to a closed outcome. The kernel
// runs it; the service table is in kind.ts.
import type { ProjectResult } from '../projects/definitions';
import { runProject } from '../projects/kernel';
import type { ServiceProjectInput } from './definitions';
import { serviceKind } from './kind';

export async function serviceProject(input: ServiceProjectInput): Promise<ProjectResult> {
  return runProject(serviceKind, input);
}
