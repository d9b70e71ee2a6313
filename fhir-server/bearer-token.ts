/** The one bearer token of the embedded server, compared in constant time. */
import { isSameSecret } from '../platform/same-secret.ts';

export type TokenVerdict = 'valid' | 'missing' | 'invalid';

export function bearerTokenCheck(token: string): (authorization: string | undefined) => TokenVerdict {
  return (authorization) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return 'missing';
    return isSameSecret(match[1] as string, token) ? 'valid' : 'invalid';
  };
}
