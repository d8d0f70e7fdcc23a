// A job's name on a project view: "Audit job 2".
import type { Project } from '../api/types';

export const jobLabel = (project: Project | undefined, jobId: string | undefined): string | undefined => {
  const job = jobId ? project?.jobs.find((candidate) => candidate.id === jobId) : undefined;
  if (!job) return undefined;
  return `${job.type.charAt(0).toUpperCase()}${job.type.slice(1)} job ${job.sequence}`;
};
