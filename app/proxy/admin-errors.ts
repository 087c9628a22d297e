/** Error bodies of the admin API (`/api/*`): `{"error":{"type","message"}}`. */
export interface AdminErrorBody {
  error: { type: string; message: string };
}

export function adminError(type: string, message: string): AdminErrorBody {
  return { error: { type, message } };
}
