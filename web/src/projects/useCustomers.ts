// Customer names and site addresses for project lists and pages (the project view
// carries only their ids). Fetched per customer and kept for the session.
import { useEffect, useState } from 'react';
import type { Api } from '../api/client';
import type { Customer, Page, Site } from '../api/types';
import { useApi } from '../auth/session';

const customers = new Map<string, Promise<Customer | undefined>>();
const sites = new Map<string, Promise<Site[]>>();

export function rememberCustomer(customer: Customer, customerSites: Site[] = []): void {
  customers.set(customer.id, Promise.resolve(customer));
  sites.set(customer.id, Promise.resolve(customerSites));
}

export function forgetSites(customerId: string): void {
  sites.delete(customerId);
}

/** After an edit: the next read fetches the customer's name and contact again. */
export function forgetCustomer(customerId: string): void {
  customers.delete(customerId);
}

const customerOf = (api: Api, id: string) => {
  if (!customers.has(id)) customers.set(id, api.get<Customer>(`/customers/${encodeURIComponent(id)}`).catch(() => (customers.delete(id), undefined)));
  return customers.get(id)!;
};

export const sitesOf = (api: Api, customerId: string): Promise<Site[]> => {
  if (!sites.has(customerId)) {
    sites.set(
      customerId,
      api
        .get<Page<Site>>(`/customers/${encodeURIComponent(customerId)}/sites`, { query: { limit: 500 } })
        .then((page) => page.items)
        .catch(() => (sites.delete(customerId), [])),
    );
  }
  return sites.get(customerId)!;
};

export interface Directory {
  customers: Map<string, Customer>;
  sites: Map<string, Site>;
}

/** Names and addresses for these customers (staff only; others get empty maps). */
export function useDirectory(customerIds: string[], enabled = true): Directory {
  const api = useApi();
  const [directory, setDirectory] = useState<Directory>({ customers: new Map(), sites: new Map() });
  const key = [...new Set(customerIds)].sort().join(',');
  useEffect(() => {
    if (!enabled || !key) return;
    let live = true;
    const ids = key.split(',');
    void Promise.all(ids.map(async (id) => [await customerOf(api, id), await sitesOf(api, id)] as const)).then((entries) => {
      if (!live) return;
      const next: Directory = { customers: new Map(), sites: new Map() };
      for (const [customer, customerSites] of entries) {
        if (customer) next.customers.set(customer.id, customer);
        for (const site of customerSites) next.sites.set(site.id, site);
      }
      setDirectory(next);
    });
    return () => {
      live = false;
    };
  }, [api, key, enabled]);
  return directory;
}
