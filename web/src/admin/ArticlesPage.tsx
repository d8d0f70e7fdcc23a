// The article catalogue: what material lines on a protocol are made of. Admins add
// articles and take old ones out of use (a recorded protocol keeps the price it had).
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Article } from '../api/oversight';
import type { FieldError, Page } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi, useSession } from '../auth/session';
import { EmptyState, ErrorNotice, SkeletonRows } from '../ui/EmptyState';
import { InputField } from '../ui/FormField';
import { useToast } from '../ui/Toast';
import { usePageTitle } from '../ui/usePageTitle';

const price = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface Draft {
  number: string;
  name: string;
  unit: string;
  price: string;
}
const empty: Draft = { number: '', name: '', unit: 'pcs', price: '' };
const fieldIds: Record<string, string> = { number: 'article-number', name: 'article-name', unit: 'article-unit', price: 'article-price', priceCents: 'article-price' };

function check(draft: Draft): FieldError[] {
  const errors: FieldError[] = [];
  if (!draft.number.trim()) errors.push({ path: 'number', message: 'Enter the article number.' });
  if (!draft.name.trim()) errors.push({ path: 'name', message: 'Enter what the article is called.' });
  if (!draft.unit.trim()) errors.push({ path: 'unit', message: 'Enter the unit it is sold in, such as pcs or m.' });
  if (!/^\d+([.,]\d{1,2})?$/.test(draft.price.trim())) errors.push({ path: 'price', message: 'Enter the price as a number, such as 14.90.' });
  return errors;
}

export function ArticlesPage() {
  usePageTitle('Article catalogue');
  const api = useApi();
  const { user } = useSession();
  const admin = user.role === 'admin';
  const toast = useToast();
  const articles = useResource((signal) => api.get<Page<Article>>('/articles', { query: { includeInactive: admin ? 'true' : undefined }, signal }), [admin]);
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const errorOf = (path: string) => errors.find((error) => error.path === path || (path === 'price' && error.path === 'priceCents'))?.message;
  const set = (name: keyof Draft) => (value: string) => setDraft((current) => ({ ...current, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check(draft);
    setErrors(found);
    if (found.length) {
      window.setTimeout(() => document.getElementById('article-errors')?.focus());
      return;
    }
    setBusy(true);
    try {
      const priceCents = Math.round(Number(draft.price.trim().replace(',', '.')) * 100);
      const created = await api.post<Article>('/articles', { number: draft.number.trim(), name: draft.name.trim(), unit: draft.unit.trim(), priceCents });
      toast(`${created.name} is in the catalogue`);
      setDraft(empty);
      void articles.reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setErrors([{ path: 'number', message: 'Another article has this number.' }]);
      else if (err instanceof ApiError && err.fieldErrors.length) setErrors(err.fieldErrors);
      else setErrors([{ path: 'number', message: err instanceof Error ? err.message : String(err) }]);
    } finally {
      setBusy(false);
    }
  };

  const setActive = async (article: Article, active: boolean) => {
    await api.patch<Article>(`/articles/${encodeURIComponent(article.id)}`, { active });
    toast(active ? `${article.name} is back in use` : `${article.name} is out of use; recorded protocols keep it`);
    void articles.reload();
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Article catalogue</h1>
          <p className="muted page-head__sub">What installers pick for material lines. A protocol keeps the price an article had when it was recorded.</p>
        </div>
      </div>
      <div className={admin ? 'admin-grid' : undefined}>
        <section aria-labelledby="articles-heading">
          <h2 id="articles-heading">Articles</h2>
          {articles.error && !articles.data ? (
            <ErrorNotice error={articles.error} onRetry={() => void articles.reload()} />
          ) : !articles.data ? (
            <SkeletonRows rows={6} label="Loading articles" />
          ) : articles.data.items.length === 0 ? (
            <EmptyState title="No articles yet" />
          ) : (
            <div className="table-wrap">
              <table className="table table--cards" data-testid="articles">
                <caption className="visually-hidden">Articles</caption>
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Name</th>
                    <th scope="col" className="numeric">
                      Price
                    </th>
                    {admin && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {articles.data.items.map((article) => (
                    <tr key={article.id} className={article.active ? undefined : 'row--inactive'}>
                      <td data-label="Number">{article.number}</td>
                      <td data-label="Name">
                        {article.name}
                        {!article.active && <span className="badge badge--cancelled block-badge">Out of use</span>}
                      </td>
                      <td data-label="Price" className="numeric">
                        {price.format(article.priceCents / 100)} / {article.unit}
                      </td>
                      {admin && (
                        <td data-label="Actions">
                          <button type="button" className="button button--small" onClick={() => void setActive(article, !article.active)}>
                            {article.active ? 'Take out of use' : 'Use again'}
                            <span className="visually-hidden">: {article.name}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {admin && (
          <section aria-labelledby="new-article-heading">
            <h2 id="new-article-heading">Add an article</h2>
            <form className="card stack" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-article-heading">
              {errors.length > 0 && (
                <div className="error-summary" role="alert" id="article-errors" tabIndex={-1}>
                  <p className="error-summary__title">Fix {errors.length === 1 ? 'this' : `these ${errors.length}`} to add the article</p>
                  <ul>
                    {errors.map((error) => (
                      <li key={error.path}>
                        <a href={`#${fieldIds[error.path] ?? 'article-number'}`}>{error.message}</a>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <InputField id="article-number" label="Article number" value={draft.number} onValue={set('number')} error={errorOf('number')} disabled={busy} />
              <InputField id="article-name" label="Name" value={draft.name} onValue={set('name')} error={errorOf('name')} disabled={busy} />
              <InputField id="article-unit" label="Unit" value={draft.unit} onValue={set('unit')} error={errorOf('unit')} hint="pcs, m, kg …" disabled={busy} />
              <InputField id="article-price" label="Price per unit" inputMode="decimal" value={draft.price} onValue={set('price')} error={errorOf('price')} hint="Before tax, in the invoice currency." disabled={busy} />
              <div>
                <button type="submit" className="button button--primary" disabled={busy}>
                  {busy ? 'Adding…' : 'Add article'}
                </button>
              </div>
            </form>
          </section>
        )}
      </div>
    </div>
  );
}
