// A sales project's design: the linked project in the design tool and its proposals,
// each with its status and price.
import type { TimelineEntry } from '../api/types';
import { humanize } from '../ui/format';
import { formatMoney, salesDesignOf } from './salesDesign';

export function SalesDesignCard({ timeline }: { timeline: TimelineEntry[] | undefined }) {
  if (!timeline) return <p className="muted">Loading the design…</p>;
  const design = salesDesignOf(timeline);
  return (
    <div className="stack" data-testid="sales-design">
      <p>
        Design project:{' '}
        {design.designProjectId ? (
          design.designUrl ? (
            <a href={design.designUrl} target="_blank" rel="noreferrer" className="mono" data-testid="design-project">
              {design.designProjectId}
              <span className="visually-hidden"> (opens in a new tab)</span> ↗
            </a>
          ) : (
            <span className="mono" data-testid="design-project">
              {design.designProjectId}
            </span>
          )
        ) : (
          <span className="muted">not linked yet</span>
        )}
      </p>
      {design.proposals?.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="proposals">
            <caption className="visually-hidden">Proposals from the design tool</caption>
            <thead>
              <tr>
                <th scope="col">Proposal</th>
                <th scope="col">Status</th>
                <th scope="col">Price</th>
              </tr>
            </thead>
            <tbody>
              {design.proposals.map((proposal) => (
                <tr key={proposal.id} data-testid={`proposal-${proposal.id}`}>
                  <td className="mono">{proposal.id}</td>
                  <td>
                    <span className={`badge badge--proposal-${proposal.status}`}>{humanize(proposal.status)}</span>
                  </td>
                  <td>{proposal.price ? formatMoney(proposal.price) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No proposals yet. They appear when the design tool is synced or a proposal is sent.</p>
      )}
    </div>
  );
}
