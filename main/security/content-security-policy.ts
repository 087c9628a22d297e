/**
 * The Content-Security-Policy of the Electron window's page (sent by the app:// protocol with
 * every file). Like the dashboard's (app/proxy/web/dashboard.ts) but tighter: the window talks
 * to the engine over IPC only, so `connect-src 'self'` reaches nothing but the app's own files;
 * no inline or evaluated script, nothing from another origin, no frames, no forms leaving.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
