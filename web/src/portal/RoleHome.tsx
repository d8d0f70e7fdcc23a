// The home page for whoever signs in: a customer's portal, everyone else's inbox.
import { useSession } from '../auth/session';
import { InboxPage } from '../inbox/InboxPage';
import { PortalHome } from './PortalHome';

export function RoleHome() {
  const { user } = useSession();
  return user.role === 'customer' ? <PortalHome /> : <InboxPage />;
}
