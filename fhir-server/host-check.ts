/**
 * The `Host` names the server answers to: loopback names, the address it is bound to, and the
 * names configured for a bind beyond loopback, each with the served port or none. Any other name
 * is a request meant for another server, or a web page that re-pointed its own DNS name at this
 * one (DNS rebinding) to read the answers.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]', '']);

export function isWildcardAddress(host: string): boolean {
  return WILDCARD_ADDRESSES.has(host);
}

/** `::1` → `[::1]`: an IPv6 address as it appears in a URL and a Host header. */
export function hostInUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function hostHeaderCheck(boundHost: string, port: number, extraNames: readonly string[]): (host: string | undefined) => boolean {
  const names = [...LOOPBACK_NAMES, ...extraNames, ...(isWildcardAddress(boundHost) ? [] : [hostInUrl(boundHost)])];
  const allowed = new Set(names.flatMap((name) => [name.toLowerCase(), `${name.toLowerCase()}:${port}`]));
  return (host) => host !== undefined && allowed.has(host.toLowerCase());
}
