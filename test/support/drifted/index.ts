// A deliberately incompatible change, for the replay test's negative control: the
// project sleeps before its first step, which no recorded history contains.
import { sleep } from '@temporalio/workflow';
import { serviceProject as current } from '../../../workflows/service/workflow';
import type { ServiceProjectInput } from '../../../workflows/service/definitions';

export { siteJob } from '../../../workflows/jobs/workflow';

export async function serviceProject(input: ServiceProjectInput) {
  await sleep(1);
  return current(input);
}
