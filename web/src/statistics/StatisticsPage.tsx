// The office's statistics: service cases per status, category, site and month, and how
// long cases spend in each stage (median and 90th percentile), over a period kept in the
// URL; and the article registrations of the same period as an Excel workbook.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { withQuery } from '../api/client';
import { saveBlob } from '../api/saveBlob';
import type { Project } from '../api/types';
import { useResource, type Resource } from '../api/useResource';
import { useApi } from '../auth/session';
import { statusText } from '../ui/Badges';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { humanize } from '../ui/format';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';
import { BarChart } from './BarChart';
import { formatDuration, inUnit, unitFor } from './format';
import { periodFrom } from './period';
import type { CaseCounts, CaseGroup, StageLeadTime } from './types';
import './statistics.css';

const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthLabel = (key: string) => {
  const [year, month] = key.split('-').map(Number);
  return year && month ? monthName.format(new Date(Date.UTC(year, month - 1, 1))) : key;
};

/** Every month of the period, so a month without cases shows as a zero, not a gap. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = to.split('-').map(Number) as [number, number];
  while ((year < endYear || (year === endYear && month <= endMonth)) && months.length < 240) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function StatisticsPage() {
  usePageTitle('Statistics');
  const api = useApi();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const { from, to } = periodFrom(params);
  const [draft, setDraft] = useState({ from, to });
  const [error, setError] = useState<string>();
  const [downloading, setDownloading] = useState(false);

  const counts = (by: CaseGroup) => (signal: AbortSignal) => api.get<CaseCounts>('/stats/cases', { query: { by, from, to }, signal });
  const byStatus = useResource(counts('status'), [from, to]);
  const byCategory = useResource(counts('category'), [from, to]);
  const bySite = useResource(counts('site'), [from, to]);
  const byMonth = useResource(counts('month'), [from, to]);
  const leadTimes = useResource((signal) => api.get<{ items: StageLeadTime[] }>('/stats/lead-times', { query: { from, to }, signal }), [from, to]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.from || !draft.to) return setError('Enter both days of the period.');
    if (draft.from > draft.to) return setError('The period ends before it starts: pick a “to” day on or after the “from” day.');
    setError(undefined);
    setParams({ from: draft.from, to: draft.to });
  };

  const download = async () => {
    setDownloading(true);
    try {
      saveBlob(await api.blob(withQuery('/exports/articles.xlsx', { from, to })), `articles_${from}_${to}.xlsx`);
    } catch (err) {
      toast(`The export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Statistics</h1>
          <p className="muted page-head__sub">
            Service cases created from {from} to {to} (both days included).
          </p>
        </div>
      </div>

      <form className="filters statistics-period" aria-label="Period" onSubmit={apply} noValidate>
        <div className="field field--inline">
          <label htmlFor="stats-from">From</label>
          <input id="stats-from" type="date" value={draft.from} max={draft.to || undefined} onChange={(event) => setDraft((current) => ({ ...current, from: event.target.value }))} aria-invalid={error ? true : undefined} aria-describedby={error ? 'stats-period-error' : undefined} />
        </div>
        <div className="field field--inline">
          <label htmlFor="stats-to">To</label>
          <input id="stats-to" type="date" value={draft.to} min={draft.from || undefined} onChange={(event) => setDraft((current) => ({ ...current, to: event.target.value }))} aria-invalid={error ? true : undefined} aria-describedby={error ? 'stats-period-error' : undefined} />
        </div>
        <button type="submit" className="button button--small">
          Show
        </button>
        {error && (
          <p id="stats-period-error" className="field-error" role="alert">
            {error}
          </p>
        )}
      </form>

      <div className="chart-grid">
        <Counts
          id="status"
          title="Cases per status"
          resource={byStatus}
          labelHeading="Status"
          label={(key) => statusText[key as Project['status']] ?? humanize(key)}
        />
        <Counts id="category" title="Cases per category" resource={byCategory} labelHeading="Category" label={(key) => humanize(key)} />
        <Counts id="site" title="Cases per site" resource={bySite} labelHeading="Site" />
        <Counts id="month" title="Cases per month" resource={byMonth} labelHeading="Month" label={monthLabel} months={monthsOf(from, to)} />
        <LeadTimes resource={leadTimes} />
      </div>

      <section className="card statistics-export" aria-labelledby="export-title">
        <h2 id="export-title" className="card__title">
          Article registrations
        </h2>
        <p className="muted">Every material line recorded on a job's protocol from {from} to {to}, one row each, with its case, customer, site, price and line total, and the total of the period.</p>
        <button type="button" className="button button--primary" onClick={() => void download()} disabled={downloading}>
          {downloading ? 'Preparing the workbook…' : 'Download as Excel (.xlsx)'}
        </button>
      </section>
    </div>
  );
}

function Counts({ id, title, resource, labelHeading, label, months }: { id: string; title: string; resource: Resource<CaseCounts>; labelHeading: string; label?: (key: string) => string; months?: string[] }) {
  if (resource.error && !resource.data) return <ChartState title={title}><ErrorNotice error={resource.error} onRetry={() => void resource.reload()} /></ChartState>;
  if (!resource.data) return <ChartState title={title}><SkeletonRows rows={4} label={`Loading ${title.toLowerCase()}`} /></ChartState>;
  if (!resource.data.items.length) return <ChartState title={title}><EmptyState title="No cases in this period" /></ChartState>;
  const named = (key: string) => (label ? label(key) : key);
  const rows = months
    ? months.map((key) => ({ name: named(key), count: resource.data!.items.find((item) => item.key === key)?.count ?? 0 }))
    : resource.data.items.map((item) => ({ name: item.label ?? named(item.key), count: item.count }));
  const labels = rows.map((row) => row.name);
  const values = rows.map((row) => row.count);
  const total = values.reduce((sum, value) => sum + value, 0);
  const top = labels[values.indexOf(Math.max(...values))];
  return (
    <BarChart
      id={id}
      title={title}
      summary={`${title}: ${plural(total, 'case')} in ${plural(rows.length, labelHeading.toLowerCase(), `${labelHeading.toLowerCase()}s`)}${top ? `, most in ${top}` : ''}.`}
      labels={labels}
      labelHeading={labelHeading}
      series={[{ label: 'Cases', values }]}
      yTitle="Cases"
      integers
    />
  );
}

function LeadTimes({ resource }: { resource: Resource<{ items: StageLeadTime[] }> }) {
  const title = 'Time in each stage';
  if (resource.error && !resource.data) return <ChartState title={title}><ErrorNotice error={resource.error} onRetry={() => void resource.reload()} /></ChartState>;
  if (!resource.data) return <ChartState title={title}><SkeletonRows rows={4} label="Loading lead times" /></ChartState>;
  const items = resource.data.items;
  if (!items.length) return <ChartState title={title}><EmptyState title="No case has left a stage in this period" /></ChartState>;
  const unit = unitFor(Math.max(...items.map((item) => item.p90)));
  const seconds = (value: number) => value * unit.seconds;
  return (
    <BarChart
      id="lead-times"
      title={title}
      summary={`${title}, median and 90th percentile in ${unit.name}: ${items.map((item) => `${humanize(item.stage)} ${formatDuration(item.median)} (90 % within ${formatDuration(item.p90)})`).join('; ')}.`}
      labels={items.map((item) => humanize(item.stage))}
      labelHeading="Stage"
      series={[
        { label: 'Median', values: items.map((item) => inUnit(item.median, unit)) },
        { label: '90th percentile', values: items.map((item) => inUnit(item.p90, unit)) },
      ]}
      format={(value) => formatDuration(seconds(value))}
      yTitle={unit.name.charAt(0).toUpperCase() + unit.name.slice(1)}
    />
  );
}

function ChartState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card chart-card" aria-label={title}>
      <h2 className="card__title">{title}</h2>
      {children}
    </section>
  );
}
