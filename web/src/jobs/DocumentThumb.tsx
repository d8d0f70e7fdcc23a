// A photo from the document store, shown small: documents are served as attachments, so
// the bytes are fetched with the token and shown from an object URL.
import { useEffect, useState } from 'react';
import { useApi } from '../auth/session';

export function DocumentThumb({ documentId, alt }: { documentId: string; alt: string }) {
  const api = useApi();
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    let revoked = false;
    let made: string | undefined;
    api.blob(`/documents/${encodeURIComponent(documentId)}`).then(
      (blob) => {
        if (revoked) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      () => undefined,
    );
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, documentId]);
  return url ? (
    <a href={url} target="_blank" rel="noreferrer" className="thumb">
      <img src={url} alt={alt} />
    </a>
  ) : (
    <span className="thumb thumb--loading" aria-label={`Loading ${alt}`} />
  );
}
