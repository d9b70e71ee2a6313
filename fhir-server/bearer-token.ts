/** The one bearer token of the embedded server, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenVerdict = 'valid' | 'missing' | 'invalid';

export function bearerTokenCheck(token: string): (authorization: string | undefined) => TokenVerdict {
  // Digests have one length, so neither the comparison time nor its early exit tells the token's length.
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return 'missing';
    return timingSafeEqual(digest(match[1] as string), expected) ? 'valid' : 'invalid';
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
