/**
 * Test support: an HTTP/1.1 request written by hand on a TCP socket, for what `fetch` will not
 * send: a foreign Host header, a body that arrives in parts (slowly, or across a `stop()`).
 */
import { connect, type Socket } from 'node:net';
import type { Sent } from './fhir-sender.ts';

export interface RawRequest {
  /** Written at once: headers and the first part of the body. */
  write(data: string | Buffer): void;
  /** The answer, once the server has sent it whole (it closes the connection or the body is complete). */
  answer: Promise<Sent>;
  socket: Socket;
}

/** Opens a request; `head` is sent at once, the caller writes the body (or its parts) with `write`. */
export function openRawRequest(baseUrl: string, head: { method?: string; path: string; headers: Record<string, string | number> }): Promise<RawRequest> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const headerLines = Object.entries(head.headers).map(([name, value]) => `${name}: ${value}`);
      socket.write([`${head.method ?? 'POST'} ${head.path} HTTP/1.1`, ...headerLines, '', ''].join('\r\n'));
      resolve({ write: (data) => socket.write(data), answer, socket });
    });
    socket.once('error', reject);
    const answer = new Promise<Sent>((settle, fail) => {
      let received = Buffer.alloc(0);
      const complete = (): Sent | undefined => {
        const text = received.toString('utf8');
        const split = text.indexOf('\r\n\r\n');
        if (split < 0) return undefined;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, split))?.[1];
        const body = text.slice(split + 4);
        if (length === undefined || Buffer.byteLength(body) < Number(length)) return undefined;
        let parsed: Sent['body'] = {};
        try {
          parsed = JSON.parse(body);
        } catch {
          // left empty: the caller's assertion on resourceType says so
        }
        return { status: Number(text.slice(9, 12)), body: parsed };
      };
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const sent = complete();
        if (sent) settle(sent);
      });
      socket.once('close', () => {
        const sent = complete();
        if (sent) settle(sent);
        else fail(new Error(`connection closed before a whole answer: ${JSON.stringify(received.toString('utf8').slice(0, 200))}`));
      });
      socket.once('error', () => undefined);
    });
  });
}
