/**
 * The one connection `npm start` hands out. Every start reuses the connection
 * named QUICKSTART_NAME: its scope is set to the one this start offers and its
 * key is rotated, so the key printed last time stops working and restarts do
 * not pile up full-access connections. A revoked or expired one is reactivated
 * first. Only the first start creates it.
 */
export const QUICKSTART_NAME = 'Quickstart';

export interface QuickstartResult {
  key: string;
  connectionId: string;
  reused: boolean;
}

interface ConnectionJson {
  id: string;
  name: string;
  status: string;
  key_public_id: string | null;
}

export async function quickstartConnection(gatewayUrl: string, adminToken: string, scope: unknown): Promise<QuickstartResult> {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${gatewayUrl}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T & { error?: { message: string } };
    if (!response.ok) throw new Error(`${method} ${path}: ${json.error?.message ?? response.status}`);
    return json;
  };

  const listed = await api<{ items: ConnectionJson[] }>('GET', `/connections?q=${encodeURIComponent(QUICKSTART_NAME)}&limit=100`);
  const existing = listed.items.find((item) => item.name === QUICKSTART_NAME);
  if (!existing) {
    const created = await api<{ key: string; connection: ConnectionJson }>('POST', '/connections', { name: QUICKSTART_NAME, scope });
    return { key: created.key, connectionId: created.connection.id, reused: false };
  }
  const path = `/connections/${encodeURIComponent(existing.id)}`;
  let current = existing;
  if (current.status === 'revoked' || current.status === 'expired') current = await api<ConnectionJson>('POST', `${path}/reactivate`, {});
  await api<ConnectionJson>('PATCH', path, { scope, expires_at: null });
  const issued = current.key_public_id
    ? await api<{ key: string }>('POST', `${path}/rotate`)
    : await api<{ key: string }>('POST', `${path}/keys`);
  return { key: issued.key, connectionId: existing.id, reused: true };
}
