/**
 * What the window shows instead of a panel when there is nothing to show: signed out (the
 * session is gone) or the engine not answering before anything was loaded.
 */
import { EmptyState } from '../ui/EmptyState';

export function SignedOut() {
  return (
    <EmptyState tone="error" title="Signed out">
      <p>This page's session has ended (Patchbay restarted, or the session expired).</p>
      <p>
        Open the dashboard link printed by <code>patchbay serve</code> again; while it runs, <code>POST /api/dashboard/login-link</code> with the admin
        token makes a new one.
      </p>
    </EmptyState>
  );
}

export function EngineUnreachable() {
  return (
    <EmptyState tone="error" title="Patchbay is not answering">
      <p>Is <code>patchbay serve</code> still running? This page reconnects by itself as soon as it is back.</p>
    </EmptyState>
  );
}
