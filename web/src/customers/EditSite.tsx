// The site's details as staff change them: address, NMI, phases, coordinates. Only what
// changed is sent; every refused field is named at once.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Problem } from '../api/types';
import { useApi } from '../auth/session';
import { InputField, SelectField } from '../ui/FormField';
import { forgetSites } from '../projects/useCustomers';
import { useToast } from '../ui/Toast';
import { sitePath } from './CustomerLink';
import { changes } from './EditCustomer';
import { ErrorSummary, messagesByField } from './ErrorSummary';
import type { SiteDetail } from './types';

const FIELDS = {
  address: { id: 'edit-site-address', label: 'Address' },
  nmi: { id: 'edit-site-nmi', label: 'NMI' },
  phases: { id: 'edit-site-phases', label: 'Phases' },
  latitude: { id: 'edit-site-latitude', label: 'Latitude' },
  longitude: { id: 'edit-site-longitude', label: 'Longitude' },
};

const asNumber = (value: string | null) => (value === null ? null : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);

export function EditSite({ site, onSaved, onCancel }: { site: SiteDetail; onSaved: (site: SiteDetail) => void; onCancel: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [form, setForm] = useState({
    address: site.address,
    nmi: site.nmi ?? '',
    phases: site.phases ? String(site.phases) : '',
    latitude: site.latitude !== undefined ? String(site.latitude) : '',
    longitude: site.longitude !== undefined ? String(site.longitude) : '',
  });
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string | undefined>(undefined);
  const errors = messagesByField(problem);

  async function save(event: FormEvent) {
    event.preventDefault();
    const changed: Record<string, unknown> = changes(form, site, ['address']);
    if (!Object.keys(changed).length) return onCancel();
    // Numbers go as numbers; text that is not one goes as it is, and the API says what is wrong.
    for (const name of ['phases', 'latitude', 'longitude'] as const) if (name in changed) changed[name] = asNumber(changed[name] as string | null);
    // A position is both coordinates: a change to one sends the other as it stands.
    if ('latitude' in changed || 'longitude' in changed) {
      changed.latitude ??= asNumber(form.latitude.trim() || null);
      changed.longitude ??= asNumber(form.longitude.trim() || null);
    }
    setBusy(true);
    setProblem(undefined);
    key.current ??= newIdempotencyKey();
    try {
      const saved = await api.patch<SiteDetail>(sitePath(site.id), changed, { idempotencyKey: key.current });
      forgetSites(site.customerId);
      toast('Site details saved');
      onSaved(saved);
    } catch (err) {
      key.current = undefined;
      setProblem(err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={save} noValidate aria-labelledby="edit-site-heading">
      <h2 id="edit-site-heading" className="card__title">
        Edit site details
      </h2>
      {problem && <ErrorSummary problem={problem} fields={FIELDS} />}
      <InputField {...FIELDS.address} value={form.address} onValue={(address) => setForm({ ...form, address })} error={errors.get('address')} autoComplete="off" />
      <div className="grid-2">
        <InputField
          {...FIELDS.nmi}
          optional
          value={form.nmi}
          onValue={(nmi) => setForm({ ...form, nmi })}
          error={errors.get('nmi')}
          hint="National Metering Identifier: 10 characters, or 11 with the checksum digit"
          autoComplete="off"
          spellCheck={false}
        />
        <SelectField {...FIELDS.phases} optional value={form.phases} onValue={(phases) => setForm({ ...form, phases })} error={errors.get('phases')}>
          <option value="">Not recorded</option>
          <option value="1">Single phase</option>
          <option value="2">Two phases</option>
          <option value="3">Three phases</option>
        </SelectField>
        <InputField {...FIELDS.latitude} optional inputMode="decimal" value={form.latitude} onValue={(latitude) => setForm({ ...form, latitude })} error={errors.get('latitude')} />
        <InputField {...FIELDS.longitude} optional inputMode="decimal" value={form.longitude} onValue={(longitude) => setForm({ ...form, longitude })} error={errors.get('longitude')} />
      </div>
      <div className="form-buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save site'}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
