// What was submitted with a completed task, as a definition list: notes and descriptions
// in full (line breaks kept), serials row by row, documents as thumbnails or downloads.
import { createContext, useContext } from 'react';
import type { DocumentInfo } from '../api/types';
import { useApi } from '../auth/session';
import { formatDateTime, humanize } from '../ui/format';
import { DocumentThumb } from './fields/DocumentThumb';

/** The project's documents by id, when the page has them: names and types for the links. */
export const KnownDocuments = createContext<Map<string, DocumentInfo>>(new Map());

function text(value: unknown): string {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return /^\d{4}-\d\d-\d\dT/.test(value) ? formatDateTime(value) : /^[a-z]+(_[a-z]+)+$/.test(value) ? humanize(value) : value;
  if (Array.isArray(value)) return value.map(text).join('; ');
  if (value && typeof value === 'object') return Object.entries(value).map(([key, item]) => `${humanize(key)}: ${text(item)}`).join(', ');
  return String(value);
}

/** One uploaded document: its picture when it is one, else a download button with its name. */
export function DocumentRef({ documentId }: { documentId: string }) {
  const api = useApi();
  const info = useContext(KnownDocuments).get(documentId);
  if (!info || info.contentType.startsWith('image/')) return <DocumentThumb documentId={documentId} alt={info?.name ?? 'Attached photo'} />;
  async function download() {
    const blob = await api.blob(`/documents/${encodeURIComponent(documentId)}`);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = info!.name;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <button type="button" className="link-button" onClick={() => void download()}>
      {info.name}
    </button>
  );
}

interface Asset {
  assetId?: string;
  make?: string;
  model?: string;
  serial?: string;
}

function Value({ name, value }: { name: string; value: unknown }) {
  if ((name === 'documentIds' || name === 'photoIds') && Array.isArray(value)) {
    return (
      <span className="payload__documents">
        {value.map((id) => (
          <DocumentRef key={String(id)} documentId={String(id)} />
        ))}
      </span>
    );
  }
  if (name === 'assets' && Array.isArray(value)) {
    return (
      <ul className="payload__assets">
        {(value as Asset[]).map((asset, index) => (
          <li key={index}>
            {[asset.make, asset.model].filter(Boolean).join(' ')}
            {asset.serial && (
              <>
                {' · serial '}
                <span className="mono">{asset.serial}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    );
  }
  if (name === 'estimateCents' && typeof value === 'number') return <span>{new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value / 100)}</span>;
  if (typeof value === 'string' && !/^\d{4}-\d\d-\d\dT/.test(value) && value.length > 40) return <span className="payload__text">{value}</span>;
  return <span>{text(value)}</span>;
}

const labels: Record<string, string> = { documentIds: 'Documents', estimateCents: 'Estimate', assets: 'Equipment and serials' };

export function PayloadSummary({ payload }: { payload?: Record<string, unknown> }) {
  const entries = Object.entries(payload ?? {}).filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (!entries.length) return null;
  return (
    <dl className="payload">
      {entries.map(([key, value]) => (
        <div key={key} className="payload__item">
          <dt>{labels[key] ?? humanize(key)}</dt>
          <dd>
            <Value name={key} value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
