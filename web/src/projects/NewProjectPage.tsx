// A new project, service or sales: pick the kind, a customer (or add one), pick one of its sites (or add
// one), give it a title. Creating the customer and site are separate requests, so a
// failure later keeps what was made and the form carries on from there. Everything the
// form can tell before sending is checked at once, and every mistake is listed in one
// summary whose lines lead to their fields.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Customer, Page, Problem, Project, Site } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { ErrorNotice } from '../ui/EmptyState';
import { InputField, SelectField } from '../ui/FormField';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { plainMessage } from '../tasks/errors';
import { forgetSites, rememberCustomer, sitesOf } from './useCustomers';

type Step = 'customer' | 'site' | 'project';
type Kind = 'service' | 'sales';

const kindHelp: Record<Kind, string> = {
  service: 'Its workflow starts at once, with a service request task for the office.',
  sales: 'Its workflow starts at once, with an onboard site task for the office; one active sales project per site.',
};
interface StepProblem {
  /** The request that failed, or `form` for what the form found before sending anything. */
  step: Step | 'form';
  problem: Problem;
}

/** The field (its element id) each request's error paths belong to. */
const FIELD_IDS: Record<Step, Record<string, string>> = {
  customer: { name: 'customer-name', email: 'customer-email', phone: 'customer-phone', customerId: 'customer' },
  site: { address: 'site-address', phases: 'site-phases', nmi: 'site-nmi', siteId: 'site' },
  project: { title: 'project-title', siteId: 'site', customerId: 'customer' },
};
const FIELD_LABELS: Record<string, string> = {
  'customer-name': 'Customer name',
  'customer-email': 'Email',
  'customer-phone': 'Phone',
  customer: 'Customer',
  'site-address': 'Site address',
  'site-phases': 'Phases',
  'site-nmi': 'NMI',
  site: 'Site',
  'project-title': 'Title',
};

/** A failure's field errors by element id, in plain words. */
function fieldErrors(failure: StepProblem | undefined): { id: string; message: string }[] {
  if (!failure) return [];
  const step = failure.step;
  return (failure.problem.errors ?? []).map((error) => ({ id: step === 'form' ? error.path : (FIELD_IDS[step][error.path] ?? ''), message: plainMessage(error.message) }));
}

export function NewProjectPage() {
  const api = useApi();
  const navigate = useNavigate();
  const toast = useToast();
  const key = useRef<string | undefined>(undefined);
  const [params] = useSearchParams();
  // ?kind=sales opens the page on sales; the choice itself stays on the page.
  const [kind, setKindState] = useState<Kind>(params.get('kind') === 'sales' ? 'sales' : 'service');
  const setKind = (next: Kind) => {
    key.current = undefined;
    setKindState(next);
  };
  usePageTitle(`New ${kind} project`);
  const customers = useResource((signal) => api.get<Page<Customer>>('/customers', { query: { limit: 500 }, signal }), []);
  const [newCustomer, setNewCustomer] = useState(false);
  const [customerId, setCustomerId] = useState('');
  const [customer, setCustomer] = useState({ name: '', email: '', phone: '' });
  const [sites, setSites] = useState<Site[]>();
  const [newSite, setNewSite] = useState(false);
  const [siteId, setSiteId] = useState('');
  const [site, setSite] = useState({ address: '', phases: '', nmi: '' });
  const [title, setTitle] = useState('');
  const [raisedByCustomer, setRaisedByCustomer] = useState(false);
  const [failure, setFailure] = useState<StepProblem>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setSites(undefined);
    setSiteId('');
    if (!customerId || newCustomer) return;
    let live = true;
    void sitesOf(api, customerId).then((found) => {
      if (!live) return;
      setSites(found);
      setNewSite(found.length === 0);
      if (found.length === 1) setSiteId(found[0].id);
    });
    return () => {
      live = false;
    };
  }, [api, customerId, newCustomer]);

  const errors = fieldErrors(failure);
  const errorOf = (id: string) => errors.find((error) => error.id === id)?.message;
  const summary = useRef<HTMLDivElement>(null);

  /** What the API would refuse, found before anything is sent: all of it at once. */
  function check(): { path: string; message: string }[] {
    const found: { path: string; message: string }[] = [];
    if (newCustomer) {
      if (!customer.name.trim()) found.push({ path: 'customer-name', message: "Enter the customer's name" });
      if (customer.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customer.email.trim())) found.push({ path: 'customer-email', message: 'Enter an email address like name@example.com' });
    } else if (!customerId) found.push({ path: 'customer', message: 'Choose a customer, or add a new one' });
    if (newSite || newCustomer) {
      if (!site.address.trim()) found.push({ path: 'site-address', message: "Enter the site's address" });
      if (site.nmi.trim() && !/^[A-Za-z0-9]{10,11}$/.test(site.nmi.trim())) found.push({ path: 'site-nmi', message: 'An NMI has 10 characters, or 11 with the checksum digit' });
    } else if (customerId && !siteId) found.push({ path: 'site', message: 'Choose a site, or add a new one' });
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = check();
    if (found.length) {
      setFailure({ step: 'form', problem: { title: 'Bad request', status: 400, errors: found } });
      window.requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setBusy(true);
    setFailure(undefined);
    let step: Step = 'customer';
    const creatingSite = newSite || newCustomer;
    try {
      let cid = customerId;
      if (newCustomer) {
        const made = await api.post<Customer>('/customers', { name: customer.name, ...(customer.email ? { email: customer.email } : {}), ...(customer.phone ? { phone: customer.phone } : {}) });
        rememberCustomer(made);
        cid = made.id;
        setCustomerId(made.id);
        setNewCustomer(false);
        customers.set({ items: [made, ...(customers.data?.items ?? [])], nextCursor: customers.data?.nextCursor ?? null });
      } else if (!cid) {
        throw new ApiError({ title: 'Bad request', status: 400, errors: [{ path: 'customerId', message: 'Choose a customer, or add a new one' }] });
      }
      step = 'site';
      let sid = siteId;
      if (creatingSite || !sid) {
        if (!creatingSite) throw new ApiError({ title: 'Bad request', status: 400, errors: [{ path: 'siteId', message: 'Choose a site, or add a new one' }] });
        const made = await api.post<Site>(`/customers/${encodeURIComponent(cid)}/sites`, {
          address: site.address,
          ...(site.phases ? { phases: Number(site.phases) } : {}),
          ...(site.nmi ? { nmi: site.nmi.trim() } : {}),
        });
        forgetSites(cid);
        sid = made.id;
        setSites((current) => [...(current ?? []), made]);
        setSiteId(made.id);
        setNewSite(false);
      }
      step = 'project';
      key.current ??= newIdempotencyKey();
      const project = await api.post<Project>('/projects', { kind, customerId: cid, siteId: sid, ...(title.trim() ? { title: title.trim() } : {}), ...(kind === 'service' && raisedByCustomer ? { raisedBy: 'customer' } : {}) }, { idempotencyKey: key.current });
      toast(`${kind === 'sales' ? 'Sales' : 'Service'} project ${project.title ?? project.id} created`);
      navigate(`/projects/${encodeURIComponent(project.id)}`);
    } catch (err) {
      const problem = err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) };
      if (problem.status >= 400 && problem.status < 500) key.current = undefined;
      setFailure({ step, problem });
      window.requestAnimationFrame(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  }

  const customerList = customers.data?.items ?? [];
  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>New {kind} project</h1>
          <p className="muted page-head__sub">{kindHelp[kind]}</p>
        </div>
      </div>
      {customers.error && <ErrorNotice error={customers.error} onRetry={() => void customers.reload()} />}
      <form className="card stack" onSubmit={submit} noValidate>
        {failure && (
          <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
            <p className="error-summary__title">{errors.length ? `Please fix ${errors.length === 1 ? 'this' : `these ${errors.length}`} to create the project` : failure.problem.title}</p>
            {errors.length ? (
              <ul>
                {errors.map((error, index) => (
                  <li key={index}>
                    {error.id ? (
                      <a
                        href={`#${error.id}`}
                        onClick={(event) => {
                          event.preventDefault();
                          document.getElementById(error.id)?.focus();
                        }}
                      >
                        {FIELD_LABELS[error.id] ?? error.id}: {error.message}
                      </a>
                    ) : (
                      error.message
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              failure.problem.detail && <p>{failure.problem.detail}</p>
            )}
          </div>
        )}
        <fieldset className="form-section">
          <legend>Kind</legend>
          <div className="segmented" role="radiogroup" aria-label="Kind of project">
            {(['service', 'sales'] as const).map((option) => (
              <label key={option} className="segmented__option" htmlFor={`kind-${option}`}>
                <input id={`kind-${option}`} type="radio" name="kind" checked={kind === option} onChange={() => setKind(option)} disabled={busy} />
                <span>{option === 'sales' ? 'Sales (a new system)' : 'Service (a problem on site)'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>Customer</legend>
          <ModeSwitch name="customer-mode" value={newCustomer} onChange={setNewCustomer} labels={['Existing customer', 'New customer']} disabled={busy} />
          {newCustomer ? (
            <div className="grid-2">
              <InputField id="customer-name" label="Customer name" value={customer.name} onValue={(name) => setCustomer({ ...customer, name })} error={errorOf('customer-name')} autoComplete="organization" />
              <InputField id="customer-email" label="Email" type="email" optional value={customer.email} onValue={(email) => setCustomer({ ...customer, email })} error={errorOf('customer-email')} />
              <InputField id="customer-phone" label="Phone" type="tel" optional value={customer.phone} onValue={(phone) => setCustomer({ ...customer, phone })} error={errorOf('customer-phone')} />
            </div>
          ) : (
            <SelectField id="customer" label="Customer" value={customerId} onValue={setCustomerId} error={errorOf('customer')} disabled={busy || customers.loading}>
              <option value="">{customers.loading ? 'Loading customers…' : 'Choose a customer…'}</option>
              {customerList.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                </option>
              ))}
            </SelectField>
          )}
        </fieldset>

        <fieldset className="form-section" disabled={!customerId && !newCustomer}>
          <legend>Site</legend>
          {!newCustomer && <ModeSwitch name="site-mode" value={newSite} onChange={setNewSite} labels={['Existing site', 'New site']} disabled={busy || !customerId} />}
          {newSite || newCustomer ? (
            <div className="grid-2">
              <InputField id="site-address" label="Site address" value={site.address} onValue={(address) => setSite({ ...site, address })} error={errorOf('site-address')} autoComplete="street-address" />
              <SelectField id="site-phases" label="Phases" optional value={site.phases} onValue={(phases) => setSite({ ...site, phases })} error={errorOf('site-phases')}>
                <option value="">Not known</option>
                <option value="1">1 phase</option>
                <option value="2">2 phases</option>
                <option value="3">3 phases</option>
              </SelectField>
              <InputField id="site-nmi" label="NMI" optional hint="10 characters, or 11 with the checksum digit" value={site.nmi} onValue={(nmi) => setSite({ ...site, nmi })} error={errorOf('site-nmi')} />
            </div>
          ) : (
            <SelectField id="site" label="Site" value={siteId} onValue={setSiteId} error={errorOf('site')} disabled={busy || !sites}>
              <option value="">{customerId && !sites ? 'Loading sites…' : 'Choose a site…'}</option>
              {(sites ?? []).map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.address}
                </option>
              ))}
            </SelectField>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>Project</legend>
          <InputField id="project-title" label="Title" optional hint={kind === 'sales' ? 'The system the customer wants, in a few words' : 'What the customer reports, in a few words'} value={title} onValue={setTitle} maxLength={200} error={errorOf('project-title')} />
          {kind === 'service' && (
            <div className="field field--check">
              <label className="choice" htmlFor="project-raised-by-customer">
                <input id="project-raised-by-customer" type="checkbox" checked={raisedByCustomer} onChange={(event) => setRaisedByCustomer(event.target.checked)} aria-describedby="project-raised-by-customer-hint" />
                <span>Raised by the customer</span>
              </label>
              <p id="project-raised-by-customer-hint" className="hint">
                A supervisor approves the service order of a case the customer raised.
              </p>
            </div>
          )}
        </fieldset>
        <div className="task-form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : `Create ${kind} project`}
          </button>
        </div>
      </form>
    </div>
  );
}

function ModeSwitch({ name, value, onChange, labels, disabled }: { name: string; value: boolean; onChange: (value: boolean) => void; labels: [string, string]; disabled?: boolean }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={`${labels[0]} or ${labels[1].toLowerCase()}`}>
      {[false, true].map((option, index) => (
        <label key={index} className="segmented__option" htmlFor={`${name}-${index}`}>
          <input id={`${name}-${index}`} type="radio" name={name} checked={value === option} onChange={() => onChange(option)} disabled={disabled} />
          <span>{labels[index]}</span>
        </label>
      ))}
    </div>
  );
}
