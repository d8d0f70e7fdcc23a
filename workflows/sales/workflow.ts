// salesProject: one per sale, from onboarding the site to a paid installation. The
// kernel runs it; the sales table is in kind.ts.
import type { ProjectResult } from '../projects/definitions';
import { runProject } from '../projects/kernel';
import type { SalesProjectInput } from './definitions';
import { salesKind } from './kind';

export async function salesProject(input: SalesProjectInput): Promise<ProjectResult> {
  return runProject(salesKind, input);
}
