// The portal's three forms (report an issue, ask for something, record a deviation): one
// of the customer's own sites, a category from a fixed list or their own words, and a
// description. POST /cases with an Idempotency-Key per submission, so a retry after a lost
// answer makes one case; every refused field is named at once; then the new case.
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Page, Problem, Site } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { ErrorSummary, messagesByField } from '../customers/ErrorSummary';
import { EmptyState, SkeletonRows } from '../ui/EmptyState';
import { InputField, SelectField } from '../ui/FormField';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { CASE_FORMS, CATEGORIES, casePath, isCaseKind, type CaseView } from './types';
import './portal.css';

const FIELDS = {
  siteId: { id: 'case-site', label: 'Site' },
  category: { id: 'case-category', label: 'What it is about' },
  otherCategory: { id: 'case-other-category', label: 'In your own words' },
  description: { id: 'case-description', label: 'Description' },
};

export function CaseForm() {
  const { kind } = useParams();
  if (!isCaseKind(kind)) return <EmptyState title="Page not found">There is no such form. Go back to your cases.</EmptyState>;
  return <CaseFormFor kind={kind} key={kind} />;
}

function CaseFormFor({ kind }: { kind: 'issue' | 'request' | 'deviation' }) {
  const api = useApi();
  const { user } = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const words = CASE_FORMS[kind];
  usePageTitle(words.title);
  const sites = useResource((signal) => api.get<Page<Site>>(`/customers/${encodeURIComponent(user.customerId ?? '')}/sites`, { query: { limit: 200 }, signal }), [user.customerId]);
  const [form, setForm] = useState({ siteId: '', category: '', otherCategory: '', description: '' });
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const key = useRef<{ body: string; key: string } | undefined>(undefined);
  const errors = messagesByField(problem);
  const onlySite = sites.data?.items.length === 1 ? sites.data.items[0].id : '';
  const siteId = form.siteId || onlySite;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const category = form.category === 'other' ? form.otherCategory.trim() : form.category;
    const body = { kind, siteId, category, description: form.description };
    setBusy(true);
    setProblem(undefined);
    // One key per form content: sending the same form again (its answer lost, a 503) is the
    // same case; a changed form is a new request (the same key with another body is a 422).
    const text = JSON.stringify(body);
    if (key.current?.body !== text) key.current = { body: text, key: newIdempotencyKey() };
    try {
      const created = await api.post<CaseView>('/cases', body, { idempotencyKey: key.current.key });
      toast(`${words.title}: sent`);
      navigate(casePath(created.id));
    } catch (err) {
      const refused = err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) };
      // The category came from "other": say it there.
      if (form.category === 'other') refused.errors = refused.errors?.map((error) => (error.path === 'category' ? { ...error, path: 'otherCategory' } : error));
      setProblem(refused);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page portal">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">My cases</Link> <span aria-hidden="true">›</span> <span aria-current="page">{words.title}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{words.title}</h1>
          <p className="page-head__sub muted">{words.intro}</p>
        </div>
      </div>
      {!sites.data ? (
        <SkeletonRows rows={3} label="Loading your sites" />
      ) : sites.data.items.length === 0 ? (
        <EmptyState title="No sites yet">The office has not recorded a site for you yet. Call or mail them, and they add it.</EmptyState>
      ) : (
        <form className="card stack" onSubmit={submit} noValidate aria-labelledby="case-form-heading" data-testid="case-form">
          <h2 id="case-form-heading" className="card__title">
            Tell us about it
          </h2>
          {problem && <ErrorSummary problem={problem} fields={FIELDS} />}
          <SelectField {...FIELDS.siteId} value={siteId} onValue={(value) => setForm({ ...form, siteId: value })} error={errors.get('siteId')}>
            <option value="">Choose a site</option>
            {sites.data.items.map((site) => (
              <option key={site.id} value={site.id}>
                {site.address}
              </option>
            ))}
          </SelectField>
          <SelectField {...FIELDS.category} value={form.category} onValue={(value) => setForm({ ...form, category: value })} error={errors.get('category')}>
            <option value="">Choose what it is about</option>
            {CATEGORIES.map((category) => (
              <option key={category.value} value={category.value}>
                {category.label}
              </option>
            ))}
            <option value="other">Something else</option>
          </SelectField>
          {form.category === 'other' && (
            <InputField {...FIELDS.otherCategory} value={form.otherCategory} maxLength={80} onValue={(value) => setForm({ ...form, otherCategory: value })} error={errors.get('otherCategory')} hint="A word or two, e.g. hot water, EV charger" />
          )}
          <div className={`field${errors.get('description') ? ' field--invalid' : ''}`}>
            <label htmlFor={FIELDS.description.id}>{FIELDS.description.label}</label>
            <p id={`${FIELDS.description.id}-hint`} className="hint">
              {words.describe}
            </p>
            <textarea
              id={FIELDS.description.id}
              rows={6}
              maxLength={4000}
              value={form.description}
              onChange={(event) => setForm({ ...form, description: event.target.value })}
              aria-invalid={errors.get('description') ? true : undefined}
              aria-describedby={[`${FIELDS.description.id}-hint`, errors.get('description') ? `${FIELDS.description.id}-error` : ''].filter(Boolean).join(' ')}
            />
            {errors.get('description') && (
              <p id={`${FIELDS.description.id}-error`} className="field-error">
                <span aria-hidden="true">! </span>
                {errors.get('description')}
              </p>
            )}
          </div>
          <div className="form-buttons">
            <button type="submit" className="button button--primary tap" disabled={busy}>
              {busy ? 'Sending…' : words.submit}
            </button>
            <Link to="/" className="button button--quiet tap">
              Cancel
            </Link>
          </div>
        </form>
      )}
    </div>
  );
}
