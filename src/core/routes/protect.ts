import type { Route, Segment } from './syntax.js';

/**
 * Judging a route before it is compiled: is it so broad it takes the site down, and does it cover
 * a route that must stay up (health checks, the responders' own login)? Both are decided on the
 * route's structure, exactly: two routes overlap when some request matches both.
 */

/** Why a route matches (nearly) everything, or null. */
export function tooBroad(route: Route): string | null {
  if (route.segments.length === 0) return route.rest ? 'it matches every path' : '"/" is the whole site to most readers; name the paths';
  if (route.segments[0]!.kind !== 'literal') return 'its first segment is a parameter or "*", so it matches nearly every path; start with a literal segment';
  return null;
}

/** Whether some request matches both routes. */
export function overlaps(a: Route, b: Route): boolean {
  if (a.methods && b.methods && !a.methods.some((m) => b.methods!.includes(m))) return false;
  if (a.host && b.host && a.host !== b.host) return false;
  return pathsOverlap(a, b);
}

function pathsOverlap(a: Route, b: Route): boolean {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) if (!segmentsMeet(a.segments[i]!, b.segments[i]!)) return false;
  const la = a.segments.length;
  const lb = b.segments.length;
  // A prefix route matches its own path and any deeper one; an exact route one length only.
  if (a.rest && b.rest) return true;
  if (a.rest) return lb >= la;
  if (b.rest) return la >= lb;
  return la === lb;
}

function segmentsMeet(x: Segment, y: Segment): boolean {
  return x.kind !== 'literal' || y.kind !== 'literal' || x.value === y.value;
}

/** The protected routes a route would cover. */
export function coveredProtected(route: Route, protectedRoutes: readonly Route[]): Route[] {
  return protectedRoutes.filter((p) => overlaps(route, p));
}
