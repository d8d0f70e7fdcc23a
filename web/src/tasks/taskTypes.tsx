// The catalogue of task types (GET /task-types), loaded once per session: titles, who
// may complete each, and the payload schemas the forms are generated from.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Role, TaskTypeInfo } from '../api/types';
import { useResource } from '../api/useResource';
import { useAuth } from '../auth/session';

interface TaskTypes {
  byType: Map<string, TaskTypeInfo>;
  list: TaskTypeInfo[];
  loading: boolean;
  error?: Error;
}

const TaskTypesContext = createContext<TaskTypes>({ byType: new Map(), list: [], loading: true });

export function TaskTypesProvider({ children }: { children: ReactNode }) {
  const { api, session } = useAuth();
  const resource = useResource((signal) => api.get<{ items: TaskTypeInfo[] }>('/task-types', { signal }), [session?.token]);
  const value = useMemo<TaskTypes>(() => {
    const list = resource.data?.items ?? [];
    return { list, byType: new Map(list.map((info) => [info.type, info])), loading: resource.loading && !resource.data, error: resource.error };
  }, [resource.data, resource.loading, resource.error]);
  return <TaskTypesContext.Provider value={value}>{children}</TaskTypesContext.Provider>;
}

export const useTaskTypes = (): TaskTypes => useContext(TaskTypesContext);

export const mayComplete = (info: TaskTypeInfo | undefined, role: Role): boolean => Boolean(info?.roles.includes(role));
