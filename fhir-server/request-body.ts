/**
 * Request bodies: JSON only, within a size limit, read to the end before the request reaches the
 * router. A refused body is read and discarded (up to a bound) so that the client gets to read
 * the answer instead of a reset connection.
 */
import type { IncomingMessage } from 'node:http';
import { errorOutcome, HttpError } from './http-error.ts';

const JSON_MEDIA_TYPES = new Set(['application/fhir+json', 'application/json']);
const JSON_PATCH_MEDIA_TYPE = 'application/json-patch+json';

/** The client went away, or was cut off by the server's request timeout, before its body ended. */
export class RequestAborted extends Error {
  override name = 'RequestAborted';
}

export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Browsers send `text/plain`, form and multipart bodies to any site without asking it first
 * (no CORS preflight), so only a JSON media type proves a body was meant for a FHIR server.
 */
export function assertJsonBody(req: IncomingMessage, method: string): void {
  if (!hasBody(req)) return;
  const mediaType = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (JSON_MEDIA_TYPES.has(mediaType) || (method === 'PATCH' && mediaType === JSON_PATCH_MEDIA_TYPE)) return;
  throw new HttpError(
    415,
    errorOutcome('not-supported', 'Request bodies must be application/fhir+json or application/json (JSON Patch: application/json-patch+json)'),
  );
}

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(`Request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  const { chunks, size } = await readUpTo(req, maxBytes, true);
  if (size > maxBytes) throw tooLarge(`Request body exceeds the limit of ${maxBytes} bytes`);
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new HttpError(400, errorOutcome('structure', `Request body is not valid JSON: ${(err as Error).message}`));
  }
}

/** Reads and drops what is left of the body, up to `maxBytes`; false when more than that was left. */
export async function discardBody(req: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (req.complete) return true;
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return false;
  try {
    return (await readUpTo(req, maxBytes, false)).complete;
  } catch (err) {
    if (err instanceof RequestAborted) return false;
    throw err;
  }
}

function tooLarge(text: string): HttpError {
  return new HttpError(413, errorOutcome('too-long', text));
}

/** Reads until the body ends or more than `limit` bytes came (then pauses the request). */
function readUpTo(req: IncomingMessage, limit: number, keep: boolean): Promise<{ chunks: Buffer[]; size: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (complete: boolean): void => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      resolve({ chunks, size, complete });
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (keep && size <= limit) chunks.push(chunk);
      if (size > limit) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = (): void => finish(true);
    const onClose = (): void => {
      req.off('data', onData).off('end', onEnd);
      reject(new RequestAborted());
    };
    req.on('data', onData).once('end', onEnd).once('close', onClose);
    req.resume();
  });
}
