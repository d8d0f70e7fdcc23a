// A customer's or a site's name wherever it shows: a link to its page for office staff,
// plain text for everyone else (installers and customers have no such page).
import { Link } from 'react-router-dom';
import { isStaff, useSession } from '../auth/session';

export const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}`;
export const sitePath = (id: string) => `/sites/${encodeURIComponent(id)}`;

export function CustomerLink({ id, name, className }: { id?: string; name?: string; className?: string }) {
  const { user } = useSession();
  const text = name ?? id ?? 'Unknown customer';
  if (!id || !isStaff(user.role)) return <>{text}</>;
  return (
    <Link to={customerPath(id)} className={className}>
      {text}
    </Link>
  );
}

export function SiteLink({ id, address, className }: { id?: string; address?: string; className?: string }) {
  const { user } = useSession();
  const text = address ?? id ?? 'Unknown site';
  if (!id || !isStaff(user.role)) return <>{text}</>;
  return (
    <Link to={sitePath(id)} className={className}>
      {text}
    </Link>
  );
}
