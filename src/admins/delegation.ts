import type { AdminPrincipal } from './actor';

/**
 * The console reaches the admin API in-process (the Worker's own fetch), on
 * behalf of the admin it already signed in. It hands that admin over by the
 * Request object itself: only code inside this Worker can put a Request in
 * this map, so nothing a client sends can claim to be a delegated call, and
 * the entry dies with the request.
 */
const delegated = new WeakMap<Request, AdminPrincipal>();

export function delegateAdmin(request: Request, principal: AdminPrincipal): Request {
  delegated.set(request, principal);
  return request;
}

export function delegatedAdmin(request: Request): AdminPrincipal | undefined {
  return delegated.get(request);
}
