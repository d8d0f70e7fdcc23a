// A thumbnail of an uploaded image. Documents need the bearer token (and are served as
// attachments), so the image is fetched and shown from a blob URL.
import { useEffect, useState } from 'react';
import { useApi } from '../../auth/session';

export function DocumentThumb({ documentId, alt }: { documentId: string; alt: string }) {
  const api = useApi();
  const [url, setUrl] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let objectUrl: string | undefined;
    let cancelled = false;
    setFailed(false);
    api.blob(`/documents/${encodeURIComponent(documentId)}`).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, documentId]);
  if (failed) return <span className="thumb thumb--missing">Image not available</span>;
  if (!url) return <span className="thumb thumb--loading" role="status" aria-label="Loading the image" />;
  return (
    <a href={url} target="_blank" rel="noreferrer" className="thumb">
      <img src={url} alt={alt} />
    </a>
  );
}
