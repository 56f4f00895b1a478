/** The header the page sends the admin token in (checked by the BFF, server/api/admin.ts). */
export const ADMIN_TOKEN_HEADER = "x-dashboard-admin-token";

// Per tab and never in a cookie: the token goes only where the page's own calls send it.
const storageKey = "microshop.dashboard.adminToken";

export function readAdminToken(): string | null {
  return typeof window === "undefined" ? null : window.sessionStorage.getItem(storageKey);
}

export function saveAdminToken(token: string): void {
  window.sessionStorage.setItem(storageKey, token);
}

export function adminTokenHeaders(): Record<string, string> {
  const token = readAdminToken();
  return token ? { [ADMIN_TOKEN_HEADER]: token } : {};
}
