// Invitations to the customer portal: staff invite a customer's contact by email; the
// contact opens the link (public, rate-limited), chooses a password and is signed in.
import { Router } from 'express';
import { authorize } from '../access';
import { currentUser } from '../auth';
import type { ApiDeps } from '../deps';
import { AcceptInvitationBody, acceptInvitation, customerInvitations, InvitationBody, inviteContact, previewInvitation } from '../invitations';
import { limits } from '../limits';

/** The public part, mounted before sign-in is required. */
export function createPublicInvitationsRouter({ database, config }: ApiDeps): Router {
  const router = Router();
  // One allowance per address for opening and accepting together.
  const limit = limits.invitations();
  router.get('/invitations/:token', limit, async (req, res) => {
    res.json(await previewInvitation(database.db, String(req.params.token)));
  });
  router.post('/invitations/:token/accept', limit, async (req, res) => {
    const { password } = AcceptInvitationBody.parse(req.body);
    res.json(await acceptInvitation(database.db, config.jwtSecret, String(req.params.token), password));
  });
  return router;
}

export function createInvitationsRouter({ database, config }: ApiDeps): Router {
  const router = Router();
  router.post('/customers/:id/invitations', async (req, res) => {
    const user = currentUser(req);
    authorize(user, 'invite', { kind: 'customer', customerId: req.params.id }, 'only the office invites contacts');
    const body = InvitationBody.parse(req.body);
    const invitation = await inviteContact({ db: database.db, publicUrl: config.publicUrl ?? '', ttlMs: config.invitationTtlMs }, req.params.id, body, user.id);
    res.status(201).json(invitation);
  });
  router.get('/customers/:id/invitations', async (req, res) => {
    authorize(currentUser(req), 'invite', { kind: 'customer', customerId: req.params.id }, 'only the office sees invitations');
    res.json({ items: await customerInvitations(database.db, req.params.id) });
  });
  return router;
}
