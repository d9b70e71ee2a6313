/**
 * Answers for requests Node's HTTP parser gives up on before our listener could: headers or body
 * not received within the server's timeouts (408), malformed HTTP (400), headers too large (431).
 * Node would answer these with an empty body; FHIR clients get an OperationOutcome. The
 * connection is closed after the answer.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorOutcome } from './http-error.ts';

const ANSWERS: Record<string, [status: number, reason: string, code: string, text: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'timeout', 'The request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'too-long', 'The request headers are too large'],
};
const MALFORMED: [number, string, string, string] = [400, 'Bad Request', 'structure', 'The request is not valid HTTP/1.1'];

export function answerClientErrors(server: Server): void {
  // The response under way on each connection: a raw answer must not cut into one already started.
  const responding = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    responding.set(socket, res);
    res.once('close', () => {
      if (responding.get(socket) === res) responding.delete(socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable || responding.get(socket)?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, code, text] = ANSWERS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify(errorOutcome(code, text));
    const head = [
      `HTTP/1.1 ${status} ${reason}`,
      'Content-Type: application/fhir+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ].join('\r\n');
    socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
  });
}
