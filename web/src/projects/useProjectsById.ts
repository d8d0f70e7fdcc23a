// Project views for lists that show tasks (the inbox): fetched once per project and kept
// until a live change says that project moved.
import { useEffect, useState } from 'react';
import type { Api } from '../api/client';
import type { Project } from '../api/types';
import { useApi } from '../auth/session';

const cache = new Map<string, Promise<Project | undefined>>();

export function forgetProject(projectId: string): void {
  cache.delete(projectId);
}

function load(api: Api, id: string): Promise<Project | undefined> {
  let entry = cache.get(id);
  if (!entry) {
    entry = api.get<Project>(`/projects/${encodeURIComponent(id)}`).catch(() => {
      cache.delete(id);
      return undefined;
    });
    cache.set(id, entry);
  }
  return entry;
}

/** `version` changes when the caller wants cached entries it forgot to be fetched again. */
export function useProjectsById(ids: string[], version = 0): Map<string, Project> {
  const api = useApi();
  const [projects, setProjects] = useState(new Map<string, Project>());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    const unique = key ? key.split(',') : [];
    void Promise.all(unique.map((id) => load(api, id))).then((views) => {
      if (!live) return;
      const next = new Map<string, Project>();
      views.forEach((view, index) => view && next.set(unique[index], view));
      setProjects(next);
    });
    return () => {
      live = false;
    };
  }, [api, key, version]);
  return projects;
}

export const jobLabel = (project: Project | undefined, jobId: string | undefined): string | undefined => {
  const job = jobId ? project?.jobs.find((candidate) => candidate.id === jobId) : undefined;
  if (!job) return undefined;
  return `${job.type.charAt(0).toUpperCase()}${job.type.slice(1)} job ${job.sequence}`;
};
