// The site's QR code for the office: the code itself (it opens the public deviation form),
// downloads as PNG and SVG for printing, and revoking it (with a confirmation) when a label
// went somewhere it should not; the next code is a new one.
import { useEffect, useState } from 'react';
import { useApi } from '../auth/session';
import { ActionError, plainError, useAction } from '../jobs/useAction';
import { saveBlob } from '../api/saveBlob';
import { sitePath } from './CustomerLink';

export function SiteQrCard({ siteId, address }: { siteId: string; address: string }) {
  const api = useApi();
  const action = useAction();
  const [image, setImage] = useState<string>();
  const [version, setVersion] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    let url: string | undefined;
    let live = true;
    setLoadError(undefined);
    api
      .blob(`${sitePath(siteId)}/qr`)
      .then((blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setImage(url);
      })
      .catch((err: unknown) => live && setLoadError(plainError(err)));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, siteId, version]);

  const download = (format: 'png' | 'svg') =>
    void action.run(format, null, async () => saveBlob(await api.blob(`${sitePath(siteId)}/qr?format=${format}`), `qr-${siteId}.${format}`));

  const revoke = () =>
    void action.run('revoke', null, async () => {
      await api.post(`${sitePath(siteId)}/qr/revoke`);
      setConfirming(false);
      setRevoked(true);
      setVersion((count) => count + 1);
    });

  return (
    <section className="card" aria-labelledby="site-qr-heading" data-testid="site-qr">
      <h2 id="site-qr-heading" className="card__title">
        QR code
      </h2>
      <p className="muted small">Stick it on site: scanning it opens a form to report a fault here, no account needed.</p>
      {image ? (
        <img className="qr-image" src={image} alt={`QR code for reporting a fault at ${address}`} width={180} height={180} />
      ) : loadError ? (
        <p className="field-error" role="alert">
          The code could not be shown: {loadError}
        </p>
      ) : (
        <p className="muted">Loading the code…</p>
      )}
      {revoked && (
        <p className="small" role="status">
          The old code no longer works. This is the new one: print it.
        </p>
      )}
      <div className="qr-actions">
        <button type="button" className="button tap" disabled={Boolean(action.busy)} onClick={() => download('png')}>
          Download PNG
        </button>
        <button type="button" className="button tap" disabled={Boolean(action.busy)} onClick={() => download('svg')}>
          Download SVG
        </button>
        {!confirming && (
          <button type="button" className="button button--danger tap" disabled={Boolean(action.busy)} onClick={() => setConfirming(true)}>
            Revoke code…
          </button>
        )}
      </div>
      <ActionError action={action} name={/^(png|svg)$/} />
      {confirming && (
        <div className="confirm" role="group" aria-labelledby="site-qr-confirm">
          <p id="site-qr-confirm">Revoke this code? Every printed label of this site stops working at once; reports through it are refused. You then print the new code.</p>
          <div className="qr-actions">
            <button type="button" className="button button--danger tap" disabled={action.busy === 'revoke'} onClick={revoke}>
              Yes, revoke it
            </button>
            <button type="button" className="button tap" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
          <ActionError action={action} name="revoke" />
        </div>
      )}
    </section>
  );
}

/** The customer's printable sheet: one labelled code per site, as a PDF. */
export function QrSheetButton({ customerId }: { customerId: string }) {
  const api = useApi();
  const action = useAction();
  const download = () =>
    void action.run('sheet', null, async () => saveBlob(await api.blob(`/customers/${encodeURIComponent(customerId)}/qr-sheet`), `qr-codes-${customerId}.pdf`));
  return (
    <>
      <button type="button" className="button" disabled={Boolean(action.busy)} onClick={download}>
        {action.busy ? 'Making the sheet…' : 'QR codes to print (PDF)'}
      </button>
      <ActionError action={action} name="sheet" />
    </>
  );
}
