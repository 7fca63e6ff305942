/**
 * The branch server's address as the wizard builds it from its fields, and the loopback rule that decides
 * whether TLS may be left out (db/pg/connect.ts applies it to every connection; the wizard shows it).
 */

/** This PC only: a Unix socket, localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  if (host.startsWith('/')) return true;
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return v4 !== null && v4.slice(1).every((o) => Number(o) <= 255);
}

/** A host name or IP address as typed: letters, digits, dots, dashes, underscores, or an IPv6 address. */
export function isHostName(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  return h.length > 0 && h.length <= 253 && (/^[A-Za-z0-9._-]+$/.test(h) || (/^[0-9A-Fa-f:.]+$/.test(h) && h.split(':').length > 2));
}

/**
 * `postgresql://user@host:port/database`, with `?sslmode=verify-full` for a server on another PC: its
 * certificate's chain and name are always checked there. The password never goes in the address.
 */
export function serverUrl(a: { host: string; port: number; database: string; user: string }): string {
  const bare = a.host.replace(/^\[(.*)\]$/, '$1');
  const host = bare.includes(':') ? `[${bare}]` : bare;
  const url = `postgresql://${encodeURIComponent(a.user)}@${host}:${a.port}/${encodeURIComponent(a.database)}`;
  return isLoopback(bare) ? url : `${url}?sslmode=verify-full`;
}

/** What a PEM file of certificates starts with. */
export const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
