import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './session/session';
import { Layout, LoadingState } from './ui';

// Every page is its own chunk: the first page loads only what it shows (the player's hls.js stays in
// the job and embed pages' chunks).
const SignInPage = lazy(() => import('./pages/sign-in/SignInPage'));
const JobsPage = lazy(() => import('./pages/jobs/JobsPage'));
const JobPage = lazy(() => import('./pages/job/JobPage'));
const UploadPage = lazy(() => import('./pages/upload/UploadPage'));
const AdminKeysPage = lazy(() => import('./pages/admin-keys/AdminKeysPage'));
const AdminWebhooksPage = lazy(() => import('./pages/admin-webhooks/AdminWebhooksPage'));
const OperatorPage = lazy(() => import('./pages/operator/OperatorPage'));
const EmbedPage = lazy(() => import('./pages/embed/EmbedPage'));
const NotFoundPage = lazy(() => import('./pages/not-found/NotFoundPage'));

const page = (element: ReactNode) => <Suspense fallback={<LoadingState />}>{element}</Suspense>;

/** The console's routes: /sign-in and /embed/:jobId (the playback token authorizes it) need no key. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={page(<SignInPage />)} />
      <Route path="/embed/:jobId" element={page(<EmbedPage />)} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={page(<JobsPage />)} />
        <Route path="/jobs" element={page(<JobsPage />)} />
        <Route path="/jobs/:id" element={page(<JobPage />)} />
        <Route path="/upload" element={page(<UploadPage />)} />
        <Route path="/admin" element={<Navigate to="/admin/keys" replace />} />
        <Route path="/admin/keys" element={page(<AdminKeysPage />)} />
        <Route path="/admin/webhooks" element={page(<AdminWebhooksPage />)} />
        <Route path="/operator" element={page(<OperatorPage />)} />
        <Route path="*" element={page(<NotFoundPage />)} />
      </Route>
    </Routes>
  );
}
