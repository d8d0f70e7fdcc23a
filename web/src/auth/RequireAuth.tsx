// Pages behind sign-in, optionally only for some roles.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { Role } from '../api/types';
import { EmptyState } from '../ui/EmptyState';
import { useAuth } from './session';

export function RequireAuth({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !roles.includes(session.user.role)) {
    return <EmptyState title="Not available for your role">This page is for {roles.join(', ')}. Your work is in the inbox.</EmptyState>;
  }
  return <>{children}</>;
}
