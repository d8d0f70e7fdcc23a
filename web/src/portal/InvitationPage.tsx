// The page an invitation mail links to (public): who it is for, a password to choose
// (the same rules as every password), and then the contact is signed in and lands on
// their cases. A used, replaced, expired or unknown link gets a plain page saying so.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import type { Problem } from '../api/types';
import { useResource } from '../api/useResource';
import { useAuth } from '../auth/session';
import { ErrorSummary, messagesByField } from '../customers/ErrorSummary';
import { SkeletonRows } from '../ui/EmptyState';
import { InputField } from '../ui/FormField';
import { usePageTitle } from '../ui/usePageTitle';
import './portal.css';

interface Preview {
  email: string;
  name: string;
  customerName: string;
  expiresAt: string;
}

const FIELDS = {
  password: { id: 'invitation-password', label: 'Password' },
  repeat: { id: 'invitation-repeat', label: 'The password again' },
};

const MIN_LENGTH = 12;

export function InvitationPage() {
  const { token = '' } = useParams();
  const { api, signIn } = useAuth();
  const navigate = useNavigate();
  const invitation = useResource((signal) => api.get<Preview>(`/invitations/${encodeURIComponent(token)}`, { signal }), [token]);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const errors = messagesByField(problem);
  usePageTitle('Your invitation');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const preview = invitation.data;
    if (!preview) return;
    // What can be told here is told at once, with what the server would say.
    const local = [
      ...(password.length < MIN_LENGTH ? [{ path: 'password', message: `at least ${MIN_LENGTH} characters` }] : []),
      ...(repeat !== password ? [{ path: 'repeat', message: 'the two passwords differ' }] : []),
    ];
    if (local.length) {
      setProblem({ title: 'Check these', status: 400, errors: local });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await api.post(`/invitations/${encodeURIComponent(token)}/accept`, { password });
      await signIn(preview.email, password);
      navigate('/', { replace: true });
    } catch (err) {
      setProblem(err instanceof ApiError ? err.problem : { title: 'Something went wrong', status: 0, detail: String(err) });
      if (err instanceof ApiError && (err.status === 410 || err.status === 404)) void invitation.reload();
    } finally {
      setBusy(false);
    }
  }

  const refused = invitation.error && (invitation.error.status === 404 || invitation.error.status === 410) ? invitation.error : undefined;
  return (
    <main className="sign-in" id="main">
      <div className="sign-in__card card invitation">
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand__mark">F</span> Fieldflow
        </div>
        {refused ? (
          <>
            <h1>{refused.status === 404 ? 'This link does not work' : 'This link cannot be used any more'}</h1>
            <p data-testid="invitation-refused">
              {refused.status === 404 ? 'We do not know this invitation link. Check that the whole link from the mail was opened.' : `${capital(refused.problem.detail ?? 'it has been used or has expired')}.`}
            </p>
            <p>
              Already chose a password? <Link to="/sign-in">Sign in</Link>. Otherwise ask the office to invite you again.
            </p>
          </>
        ) : invitation.error ? (
          <>
            <h1>Your invitation</h1>
            <p className="notice notice--error" role="alert">
              {invitation.error.message}
            </p>
            <button type="button" className="button tap" onClick={() => void invitation.reload()}>
              Try again
            </button>
          </>
        ) : !invitation.data ? (
          <SkeletonRows rows={3} label="Loading your invitation" />
        ) : (
          <>
            <h1>Welcome, {invitation.data.name}</h1>
            <p className="muted">
              Choose a password to follow and report {invitation.data.customerName}'s cases. You sign in with <strong>{invitation.data.email}</strong> and this password from now on.
            </p>
            <form onSubmit={submit} className="stack" noValidate>
              {problem && <ErrorSummary problem={problem} fields={FIELDS} />}
              <input type="email" autoComplete="username" value={invitation.data.email} readOnly hidden />
              <InputField {...FIELDS.password} type="password" autoComplete="new-password" value={password} onValue={setPassword} error={errors.get('password')} hint={`At least ${MIN_LENGTH} characters. A few words in a row are easy to remember.`} />
              <InputField {...FIELDS.repeat} type="password" autoComplete="new-password" value={repeat} onValue={setRepeat} error={errors.get('repeat')} />
              <button type="submit" className="button button--primary button--block tap" disabled={busy}>
                {busy ? 'Signing you in…' : 'Choose password and sign in'}
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
