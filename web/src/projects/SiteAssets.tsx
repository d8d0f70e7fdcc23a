// The site's asset register on the project page (there is no site page yet): each
// position with its current unit, and the serials it had before, newest first.
import { useEffect, useRef } from 'react';
import type { Page, SiteAsset } from '../api/types';
import { useResource } from '../api/useResource';
import { useApi } from '../auth/session';
import { humanize, formatShort } from '../ui/format';

/** `changes` moves whenever the project changed (its timeline grew): the register is read again. */
export function SiteAssets({ siteId, projectId, changes }: { siteId: string; projectId: string; changes: number }) {
  const api = useApi();
  const assets = useResource((signal) => api.get<Page<SiteAsset>>(`/sites/${encodeURIComponent(siteId)}/assets`, { signal }), [siteId, projectId]);
  const { reload } = assets;
  const seen = useRef(changes);
  useEffect(() => {
    // Read again in place (no loading flash) when the project moved on.
    if (seen.current === changes) return;
    seen.current = changes;
    void reload();
  }, [changes, reload]);
  if (assets.error) return <p className="muted">The asset register could not be loaded ({assets.error.message}).</p>;
  if (!assets.data) {
    return (
      <p className="muted" role="status">
        Loading the asset register…
      </p>
    );
  }
  const items = assets.data.items;
  if (!items.length) return <p className="muted">No equipment registered at this site yet.</p>;
  return (
    <ul className="stack stack--tight" data-testid="site-assets">
      {items.map((asset) => {
        const earlier = asset.history.slice(0, -1).reverse();
        const current = asset.history.at(-1);
        return (
          <li key={asset.id}>
            <strong>
              {asset.make} {asset.model}
            </strong>
            <span className="block">
              Serial <span className="mono">{asset.serial ?? 'not recorded'}</span>
              {current && (
                <span className="muted small">
                  {' '}
                  · since <time dateTime={current.at}>{formatShort(current.at)}</time>
                  {current.taskType && current.projectId === projectId ? ` (${humanize(current.taskType)} in this project)` : ''}
                </span>
              )}
            </span>
            {earlier.length > 0 && (
              <details>
                <summary className="small">
                  {earlier.length} earlier {earlier.length === 1 ? 'unit' : 'units'}
                </summary>
                <ol className="small" aria-label={`Earlier serials of ${asset.make} ${asset.model}`}>
                  {earlier.map((step) => (
                    <li key={`${step.serial}-${step.at}`}>
                      <span className="mono">{step.serial ?? 'no serial'}</span> ({step.make} {step.model}), from <time dateTime={step.at}>{formatShort(step.at)}</time>
                      {step.replaced ? (
                        <>
                          , replaced <span className="mono">{step.replaced}</span>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </details>
            )}
            {current?.replaced && (
              <span className="muted small block">
                Replaced <span className="mono">{current.replaced}</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
