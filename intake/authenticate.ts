/**
 * Who may notify the intake: a sender that knows the shared secret, shown either as
 * `Authorization: Bearer <secret>` (a Subscription's `channel.header`) or as Medplum's
 * `X-Signature`, the hex HMAC-SHA256 of the body keyed with the subscription's secret.
 */
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isSameSecret } from '../platform/same-secret.ts';

/** Hex HMAC-SHA256 of the body, as Medplum signs rest-hook notifications. */
export function signatureOf(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function isAuthenticated(headers: IncomingHttpHeaders, body: Buffer, secret: string): boolean {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ') && isSameSecret(authorization.slice(7).trim(), secret)) return true;
  const signature = headers['x-signature'];
  return typeof signature === 'string' && isSameSecret(signature.trim().toLowerCase(), signatureOf(body, secret));
}
