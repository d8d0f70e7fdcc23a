// What every page writes people and times with: the company's time zone (GET /settings)
// and the display names of the office and the installers (GET /people) and of the staff
// groups (GET /groups, the office's). The formatters in format.ts read them, so the pages
// below wait for both answers (or their failure):
// one short round trip after sign-in, and never "demo ops" first and "Olle Ops" later.
import { useEffect, useState, type ReactNode } from 'react';
import type { Person, Settings } from '../api/types';
import { isStaff, useApi, useSession } from '../auth/session';
import type { StaffGroup } from '../api/routing';
import { setCompanyTimeZone, setGroups, setPeople } from './format';

export function DirectoryProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const staff = isStaff(useSession().user.role);
  const [settled, setSettled] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    void api
      .get<Settings>('/settings', { signal })
      .then((settings) => setCompanyTimeZone(settings.companyTimeZone))
      .catch(() => undefined)
      .finally(() => signal.aborted || setSettled((count) => count + 1));
    // A customer may not read names (403): ids made readable serve them.
    void Promise.all([
      api.get<{ items: Person[] }>('/people', { signal }).then((answer) => setPeople(answer.items)),
      // The staff groups' names (tasks routed to a group name it); the office's only.
      staff ? api.get<{ items: StaffGroup[] }>('/groups', { signal }).then((answer) => setGroups(answer.items)) : undefined,
    ].map((request) => request?.catch(() => undefined))).finally(() => signal.aborted || setSettled((count) => count + 1));
    return () => controller.abort();
  }, [api, staff]);
  return settled >= 2 ? <>{children}</> : null;
}
