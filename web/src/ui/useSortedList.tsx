// A list page's state in its URL: the sort column and order (`?sort=&order=`, left out at
// the default, newest first), the filters, and the cursors of the pages before this one, with
// the column headers that sort it. The projects and jobs lists use it.
import { useState, type ReactElement } from 'react';
import { useSearchParams } from 'react-router-dom';

export type SortOrder = 'asc' | 'desc';

export function useSortedList<K extends string>(firstOrder: Record<K, SortOrder>, defaultSort: K) {
  const [params, setParams] = useSearchParams();
  const sortParam = params.get('sort') ?? '';
  const sort: K = sortParam in firstOrder ? (sortParam as K) : defaultSort;
  const order: SortOrder = params.get('order') === 'asc' || params.get('order') === 'desc' ? (params.get('order') as SortOrder) : firstOrder[sort];
  // The cursors of the pages before this one, so "Previous" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setCursors([undefined]);
    setParams(next, { replace: true });
  };

  const sortBy = (key: K) => {
    const next = new URLSearchParams(params);
    const nextOrder = key === sort ? (order === 'asc' ? 'desc' : 'asc') : firstOrder[key];
    if (key === defaultSort && nextOrder === firstOrder[defaultSort]) {
      next.delete('sort');
      next.delete('order');
    } else {
      next.set('sort', key);
      next.set('order', nextOrder);
    }
    setCursors([undefined]);
    setParams(next, { replace: true });
  };

  const header = (key: K, label: string): ReactElement => (
    <th scope="col" aria-sort={sort === key ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sortable" onClick={() => sortBy(key)}>
        {label}
        <span aria-hidden="true">{sort === key ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        <span className="visually-hidden">{sort === key ? `, sorted ${order === 'asc' ? 'ascending' : 'descending'}` : ', sort'}</span>
      </button>
    </th>
  );

  /** Previous and Next under the table; `nextCursor` from the page on show. */
  const pager = (nextCursor: string | null | undefined): ReactElement => (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button" disabled={cursors.length <= 1} onClick={() => setCursors((stack) => stack.slice(0, -1))}>
        ‹ Previous
      </button>
      <span className="muted">Page {cursors.length}</span>
      <button type="button" className="button" disabled={!nextCursor} onClick={() => setCursors((stack) => [...stack, nextCursor ?? undefined])}>
        Next ›
      </button>
    </nav>
  );

  return { params, setParams, sort, order, cursors, setCursors, cursor, setFilter, sortBy, header, pager };
}
