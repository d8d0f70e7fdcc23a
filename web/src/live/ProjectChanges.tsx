// A page that already follows one project's stream hands its change notices to the parts
// inside it (the case's thread), so they open no second stream for the same project. A
// part outside such a page (the customer's case page) opens its own.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef } from 'react';
import type { ChangeNotice } from '../api/types';
import { useLiveChanges, type LiveStatus } from './useLiveChanges';

type Listener = (notices: ChangeNotice[]) => void;

interface ProjectChangesValue {
  projectId: string;
  status: LiveStatus;
  subscribe(listener: Listener): () => void;
}

const ProjectChanges = createContext<ProjectChangesValue | undefined>(undefined);

/** For the page that owns the stream: `publish` the notices it receives; wrap its parts in `Provider` with `value`. */
export function useProjectChangesSource(projectId: string, status: LiveStatus) {
  const listeners = useRef(new Set<Listener>());
  const publish = useCallback((notices: ChangeNotice[]) => {
    for (const listener of listeners.current) listener(notices);
  }, []);
  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const value = useMemo(() => ({ projectId, status, subscribe }), [projectId, status, subscribe]);
  return { publish, value, Provider: ProjectChanges.Provider };
}

/** The project's change notices: from the page's stream when it has one for this project, else from a stream of its own. */
export function useProjectChanges(projectId: string, onChange: Listener): LiveStatus {
  const shared = useContext(ProjectChanges);
  const sharing = shared?.projectId === projectId;
  const handler = useRef(onChange);
  handler.current = onChange;
  const own = useLiveChanges({ projectId, enabled: !sharing }, (notices) => handler.current(notices));
  useEffect(() => {
    if (!shared || shared.projectId !== projectId) return undefined;
    return shared.subscribe((notices) => handler.current(notices));
  }, [shared, projectId]);
  return shared && sharing ? shared.status : own;
}
