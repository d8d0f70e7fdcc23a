// Uploads do not come through the live stream (they change no workflow), so parts of a
// page that list a project's documents tell each other here.
import { useEffect, useRef } from 'react';

const EVENT = 'fieldflow:documents';

export function announceDocuments(projectId: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: projectId }));
}

export function useDocumentsChanged(projectId: string, onChange: () => void): void {
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const listener = (event: Event) => {
      if ((event as CustomEvent<string>).detail === projectId) handler.current();
    };
    window.addEventListener(EVENT, listener);
    return () => window.removeEventListener(EVENT, listener);
  }, [projectId]);
}
