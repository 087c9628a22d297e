/**
 * The Content-Security-Policy of the Electron window's page (sent by the app:// protocol with
 * every file): the dashboard's (app/proxy/web/dashboard.ts), tightened. The window talks to the
 * engine over IPC only, so `connect-src 'self'` reaches nothing but the app's own files; no
 * frames, no workers, no forms leaving.
 */
import { cspText, DASHBOARD_CSP_DIRECTIVES } from '../../app/proxy/web/dashboard';

export const RENDERER_CSP = cspText({
  ...DASHBOARD_CSP_DIRECTIVES,
  'frame-src': "'none'",
  'worker-src': "'none'",
  'form-action': "'none'",
});
