/** Who is acting on the admin API: the bootstrap ADMIN_TOKEN, a named admin token, or a person signed in through Cloudflare Access. */
export type AdminActorKind = 'bootstrap' | 'token' | 'access';

export interface AdminActor {
  kind: AdminActorKind;
  /** The admin token's id (adt_...); 'admin-token' for the bootstrap token. */
  id?: string;
  name?: string;
  email?: string;
}

export const ADMIN_ROLES = ['viewer', 'operator', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export interface AdminPrincipal {
  actor: AdminActor;
  role: AdminRole;
}

export const BOOTSTRAP_ACTOR: AdminActor = { kind: 'bootstrap', id: 'admin-token', name: 'ADMIN_TOKEN' };

const RANK: Record<AdminRole, number> = { viewer: 0, operator: 1, owner: 2 };

/** Roles are nested: an operator can do all a viewer can, an owner all an operator can. */
export function roleAllows(held: AdminRole, needed: AdminRole): boolean {
  return RANK[held] >= RANK[needed];
}

/** How the console and the audit name an actor, in words. */
export function describeActor(actor: AdminActor | null | undefined): string {
  if (!actor) return 'unknown';
  if (actor.kind === 'access') return actor.email ?? 'unknown';
  if (actor.kind === 'token') return `${actor.name ?? 'admin token'} (${actor.id ?? '?'})`;
  return 'the bootstrap admin token';
}
