// Routes: sign-in and invitation links, then the inbox (a customer's portal home) for
// everyone; projects for office staff; cases for customers.
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { STAFF_ROLES } from './api/types';
import { RequireAuth } from './auth/RequireAuth';
import { AuthProvider } from './auth/session';
import { CustomerPage } from './customers/CustomerPage';
import { SitePage } from './customers/SitePage';
import { SignInPage } from './auth/SignInPage';
import { DispatchPage } from './dispatch/DispatchPage';
import { JobPage } from './jobs/JobPage';
import { JobsPage } from './jobs/JobsPage';
import { NewProjectPage } from './projects/NewProjectPage';
import { ProjectPage } from './projects/ProjectPage';
import { ProjectsPage } from './projects/ProjectsPage';
import { SearchPage } from './search/SearchPage';
import { Shell } from './shell/Shell';
import { TaskPage } from './tasks/TaskPage';
import { ChecklistTemplatePage } from './templates/ChecklistTemplatePage';
import { ChecklistTemplatesPage } from './templates/ChecklistTemplatesPage';
import { EmptyState, SkeletonRows } from './ui/EmptyState';
import { ToastProvider } from './ui/Toast';
import { AdminPage, SettingsPage } from './admin/AdminPages';
import { ArticlesPage } from './admin/ArticlesPage';
import { UsersPage } from './admin/UsersPage';
import { RoutingPage } from './admin/RoutingPage';
import { NotificationsPage } from './notifications/NotificationsPage';
import { NotificationsProvider } from './notifications/NotificationsProvider';
import { SupervisorPage } from './supervisor/SupervisorPage';
import { CaseForm } from './portal/CaseForm';
import { CasePage } from './portal/CasePage';
import { InvitationPage } from './portal/InvitationPage';
import { RoleHome } from './portal/RoleHome';
import { QrFormPage } from './qr/QrFormPage';

// The charting library is loaded only by the page that draws charts.
const StatisticsPage = lazy(() => import('./statistics/StatisticsPage').then((module) => ({ default: module.StatisticsPage })));

const SUPERVISORS = ['supervisor', 'admin'] as const;
const ADMINS = ['admin'] as const;
const CUSTOMERS = ['customer'] as const;

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <ToastProvider>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/invitations/:token" element={<InvitationPage />} />
            {/* Public: the form a site's QR code opens, for anyone standing there. */}
            <Route path="/qr/:token" element={<QrFormPage />} />
            <Route
              element={
                <RequireAuth>
                  <NotificationsProvider>
                    <Shell />
                  </NotificationsProvider>
                </RequireAuth>
              }
            >
              <Route index element={<RoleHome />} />
              <Route path="cases/new/:kind" element={<RequireAuth roles={CUSTOMERS}><CaseForm /></RequireAuth>} />
              <Route path="cases/:projectId" element={<RequireAuth roles={CUSTOMERS}><CasePage /></RequireAuth>} />
              <Route path="tasks/:taskId" element={<TaskPage />} />
              <Route path="jobs" element={<RequireAuth roles={STAFF_ROLES}><JobsPage /></RequireAuth>} />
              <Route path="jobs/:jobId" element={<JobPage />} />
              <Route
                path="projects"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <ProjectsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="projects/new"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <NewProjectPage />
                  </RequireAuth>
                }
              />
              <Route
                path="projects/:projectId"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <ProjectPage />
                  </RequireAuth>
                }
              />
              <Route path="dispatch" element={<RequireAuth roles={STAFF_ROLES}><DispatchPage /></RequireAuth>} />
              <Route
                path="customers/:customerId"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <CustomerPage />
                  </RequireAuth>
                }
              />
              <Route
                path="sites/:siteId"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <SitePage />
                  </RequireAuth>
                }
              />
              <Route path="search" element={<RequireAuth roles={STAFF_ROLES}><SearchPage /></RequireAuth>} />
              <Route
                path="checklist-templates"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <ChecklistTemplatesPage />
                  </RequireAuth>
                }
              />
              <Route
                path="checklist-templates/:taskType"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <ChecklistTemplatePage />
                  </RequireAuth>
                }
              />
              <Route
                path="statistics"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <Suspense fallback={<SkeletonRows rows={6} label="Loading statistics" />}>
                      <StatisticsPage />
                    </Suspense>
                  </RequireAuth>
                }
              />
              <Route path="notifications" element={<NotificationsPage />} />
              <Route path="supervisor" element={<RequireAuth roles={SUPERVISORS}><SupervisorPage /></RequireAuth>} />
              <Route path="admin" element={<RequireAuth roles={ADMINS}><AdminPage /></RequireAuth>} />
              <Route path="admin/users" element={<RequireAuth roles={ADMINS}><UsersPage /></RequireAuth>} />
              <Route path="admin/articles" element={<RequireAuth roles={STAFF_ROLES}><ArticlesPage /></RequireAuth>} />
              <Route path="admin/settings" element={<RequireAuth roles={ADMINS}><SettingsPage /></RequireAuth>} />
              <Route path="admin/routing" element={<RequireAuth roles={ADMINS}><RoutingPage /></RequireAuth>} />
              <Route path="*" element={<EmptyState title="Page not found">Nothing lives at this address. Use the navigation above.</EmptyState>} />
            </Route>
          </Routes>
        </ToastProvider>
      </AuthProvider>
    </BrowserRouter>
  );
}
