/**
 * Pure: capability gating (multispeak.md §12.9): before the hub sends a partner an operation it
 * calls PingURL and GetMethods, and it sends only what GetMethods advertised. Names are compared
 * trimmed and without regard to letter case: vendors drift in spelling (§7), and a case slip in
 * a method list should not silence a partner that does implement the operation.
 */

/** Whether `operation` is among the advertised `methods`. */
export function supports(methods: readonly string[], operation: string): boolean {
  const wanted = operation.trim().toLowerCase();
  return methods.some((method) => method.trim().toLowerCase() === wanted);
}

/** The operations of `wanted` the partner did not advertise, in the order given. */
export function unsupported(methods: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((operation) => !supports(methods, operation));
}
