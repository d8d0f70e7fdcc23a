// The public deviation form a site's QR code opens (`/qr/:token`), for whoever stands at the
// site with a phone: no account, no console around it. Site and contact come prefilled;
// every problem is said at once, in words; the answer is the case number. A code we did not
// make, or one that was revoked or has expired, gets a page that says so instead of a form.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, createApi, newIdempotencyKey } from '../api/client';
import type { Problem } from '../api/types';
import { ErrorSummary, messagesByField } from '../customers/ErrorSummary';
import { InputField, SelectField } from '../ui/FormField';
import { usePageTitle } from '../ui/usePageTitle';
import './qr.css';

interface QrForm {
  siteAddress: string;
  customerName: string;
  contactName?: string;
  phoneOnFile?: string;
  emailOnFile?: string;
  categories: string[];
}

// Nobody is signed in here: no token goes out, and a 401 is about the code, not a session.
const publicApi = createApi(
  () => undefined,
  () => undefined,
);

const CATEGORY_WORDS: Record<string, string> = {
  inverter: 'Inverter',
  battery: 'Battery',
  panels: 'Solar panels',
  meter: 'Meter or switchboard',
  cabling: 'Cables or isolators',
  other: 'Something else',
};

const FIELDS = {
  description: { id: 'qr-description', label: 'What is wrong' },
  category: { id: 'qr-category', label: 'What it is about' },
  contactName: { id: 'qr-contact-name', label: 'Your name' },
  contactPhone: { id: 'qr-contact-phone', label: 'Your phone' },
  contactEmail: { id: 'qr-contact-email', label: 'Your email' },
};

/** The same checks as the server's, so a person sees every problem before sending. */
function check(values: Record<string, string>): Problem | undefined {
  const errors = [];
  if (!values.description.trim()) errors.push({ path: 'description', message: 'describe what is wrong' });
  if (values.contactPhone.trim() && !/^\+?[0-9 ()./-]{5,40}$/.test(values.contactPhone.trim())) errors.push({ path: 'contactPhone', message: 'a phone number: digits, spaces and + ( ) - only' });
  if (values.contactEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.contactEmail.trim())) errors.push({ path: 'contactEmail', message: 'an email address such as name@example.com' });
  return errors.length ? { title: 'Check these', status: 400, errors } : undefined;
}

export function QrFormPage() {
  const { token = '' } = useParams();
  const [form, setForm] = useState<QrForm>();
  const [refusal, setRefusal] = useState<{ status: number; detail?: string }>();
  const [values, setValues] = useState({ description: '', category: 'other', contactName: '', contactPhone: '', contactEmail: '' });
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [caseId, setCaseId] = useState<string>();
  // Kept while the same report is retried after a lost answer, so it is sent once.
  const key = useRef<{ body: string; key: string } | undefined>(undefined);
  const done = useRef<HTMLHeadingElement>(null);
  usePageTitle(caseId ? 'Report sent' : 'Report a fault');

  useEffect(() => {
    const controller = new AbortController();
    publicApi
      .get<QrForm>(`/qr/${encodeURIComponent(token)}`, { signal: controller.signal })
      .then((answer) => {
        setForm(answer);
        setValues((current) => ({ ...current, contactName: answer.contactName ?? '' }));
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setRefusal(err instanceof ApiError ? { status: err.status, detail: err.problem.detail } : { status: 0 });
      });
    return () => controller.abort();
  }, [token]);

  useEffect(() => {
    if (caseId) done.current?.focus();
  }, [caseId]);

  const set = (name: keyof typeof values) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = check(values);
    setProblem(found);
    if (found) return;
    const body = {
      description: values.description.trim(),
      category: values.category,
      ...(values.contactName.trim() ? { contactName: values.contactName.trim() } : {}),
      ...(values.contactPhone.trim() ? { contactPhone: values.contactPhone.trim() } : {}),
      ...(values.contactEmail.trim() ? { contactEmail: values.contactEmail.trim() } : {}),
    };
    const text = JSON.stringify(body);
    if (key.current?.body !== text) key.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    try {
      const answer = await publicApi.post<{ caseId: string }>(`/qr/${encodeURIComponent(token)}/cases`, body, { idempotencyKey: key.current.key });
      key.current = undefined;
      setCaseId(answer.caseId);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401 || err.status === 410) setRefusal({ status: err.status, detail: err.problem.detail });
      else if (err.status === 0) setProblem({ title: 'Not sent: no connection', status: 0, detail: 'Your report was not sent. Check the connection and press Send again; it will be sent once.' });
      else if (err.status === 429) setProblem({ title: 'Too many reports', status: 429, detail: 'Too many reports came from here just now. Try again in an hour, or call the office.' });
      else if (err.status >= 500) setProblem({ title: 'Not sent', status: err.status, detail: 'Something went wrong on our side. Press Send again in a moment; it will be sent once.' });
      else setProblem(err.problem);
    } finally {
      setBusy(false);
    }
  }

  if (refusal) {
    const gone = refusal.status === 410;
    const unknown = refusal.status === 401;
    return (
      <main className="qr-page" id="main">
        <div className="qr-page__card card" data-testid="qr-refused">
          <h1>{gone ? 'This QR code no longer works' : unknown ? 'This QR code cannot be used' : 'The form could not be opened'}</h1>
          <p>
            {gone
              ? refusal.detail?.includes('expired')
                ? 'The code has expired.'
                : 'The code has been withdrawn by the office.'
              : unknown
                ? 'It is not one of our codes, or it was damaged or altered.'
                : 'The server did not answer. Check the connection and scan the code again.'}
          </p>
          {(gone || unknown) && <p>Nothing was sent. To report a fault here, call the office or ask the site owner for a new code.</p>}
        </div>
      </main>
    );
  }

  if (!form) {
    return (
      <main className="qr-page" id="main">
        <div className="qr-page__card card" aria-busy="true">
          <h1>Report a fault</h1>
          <p className="muted">Opening the form…</p>
        </div>
      </main>
    );
  }

  if (caseId) {
    return (
      <main className="qr-page" id="main">
        <div className="qr-page__card card" data-testid="qr-confirmation">
          <h1 tabIndex={-1} ref={done}>
            Thank you, your report is in
          </h1>
          <p>
            Your case number is <strong className="mono" data-testid="qr-case-id">{caseId}</strong>. Quote it if you call us.
          </p>
          <p>We will be in touch about the fault at {form.siteAddress}.</p>
          <button
            type="button"
            className="button tap"
            onClick={() => {
              setCaseId(undefined);
              setValues((current) => ({ ...current, description: '' }));
            }}
          >
            Report something else
          </button>
        </div>
      </main>
    );
  }

  const messages = messagesByField(problem);
  return (
    <main className="qr-page" id="main">
      <div className="qr-page__card card">
        <h1>Report a fault</h1>
        <dl className="qr-site" data-testid="qr-site">
          <dt>Site</dt>
          <dd>{form.siteAddress}</dd>
          <dt>Customer</dt>
          <dd>{form.customerName}</dd>
        </dl>
        {problem && <ErrorSummary problem={problem} fields={FIELDS} />}
        <form className="stack" onSubmit={submit} noValidate>
          <SelectField id={FIELDS.category.id} label={FIELDS.category.label} value={values.category} onValue={set('category')} error={messages.get('category')}>
            {form.categories.map((category) => (
              <option key={category} value={category}>
                {CATEGORY_WORDS[category] ?? category}
              </option>
            ))}
          </SelectField>
          <div className={`field${messages.get('description') ? ' field--invalid' : ''}`}>
            <label htmlFor={FIELDS.description.id}>{FIELDS.description.label}</label>
            <p id="qr-description-hint" className="hint">
              What you see or hear, and since when.
            </p>
            <textarea
              id={FIELDS.description.id}
              rows={5}
              maxLength={4000}
              value={values.description}
              onChange={(event) => set('description')(event.target.value)}
              aria-invalid={messages.get('description') ? true : undefined}
              aria-describedby={`qr-description-hint${messages.get('description') ? ' qr-description-error' : ''}`}
            />
            {messages.get('description') && (
              <p id="qr-description-error" className="field-error">
                <span aria-hidden="true">! </span>
                {messages.get('description')}
              </p>
            )}
          </div>
          <fieldset className="qr-contact">
            <legend>Who we contact about it</legend>
            <InputField id={FIELDS.contactName.id} label={FIELDS.contactName.label} optional autoComplete="name" maxLength={200} value={values.contactName} onValue={set('contactName')} error={messages.get('contactName')} />
            <InputField
              id={FIELDS.contactPhone.id}
              label={FIELDS.contactPhone.label}
              optional
              type="tel"
              autoComplete="tel"
              value={values.contactPhone}
              onValue={set('contactPhone')}
              error={messages.get('contactPhone')}
              hint={form.phoneOnFile ? `Leave empty to be called on the number we have (${form.phoneOnFile}).` : undefined}
            />
            <InputField
              id={FIELDS.contactEmail.id}
              label={FIELDS.contactEmail.label}
              optional
              type="email"
              autoComplete="email"
              value={values.contactEmail}
              onValue={set('contactEmail')}
              error={messages.get('contactEmail')}
              hint={form.emailOnFile ? `Leave empty to hear from us at ${form.emailOnFile}.` : undefined}
            />
          </fieldset>
          <button type="submit" className="button button--primary button--block tap" disabled={busy}>
            {busy ? 'Sending…' : 'Send report'}
          </button>
        </form>
      </div>
    </main>
  );
}
