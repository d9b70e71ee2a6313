/**
 * A tiny HTTP endpoint in front of a real FHIR server that can lie: in `proxy` mode it forwards
 * every request; in `non-fhir` mode it answers 200 with JSON that is no FHIR resource; in `html`
 * mode 200 with an HTML page under a FHIR content type; to every request or to writes only.
 * Stands for a misconfigured gateway or EHR.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LyingMode = 'proxy' | 'non-fhir' | 'html';

export interface LyingFhir {
  baseUrl: string;
  mode: LyingMode;
  /** Which requests the lies answer: all, or only writes (POST, PUT), so that reads pass. */
  lieTo: 'all' | 'writes';
  /** Requests answered with a lie so far. */
  lies: number;
  stop(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startLyingFhir(upstreamBaseUrl: string): Promise<LyingFhir> {
  const upstream = new URL(upstreamBaseUrl);
  const state: LyingFhir = { baseUrl: '', mode: 'proxy', lieTo: 'all', lies: 0, stop: async () => undefined };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const isWrite = request.method === 'POST' || request.method === 'PUT';
      if (state.mode !== 'proxy' && (state.lieTo === 'all' || isWrite)) {
        state.lies++;
        const html = state.mode === 'html';
        response.writeHead(200, { 'content-type': 'application/fhir+json' });
        response.end(html ? '<html><body>Service temporarily moved</body></html>' : JSON.stringify({ status: 'ok', items: [1, 2, 3] }));
        return;
      }
      const forwarded = await fetch(`${upstream.origin}${request.url ?? '/'}`, {
        method: request.method,
        headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)) as [string, string][]),
        body: ['GET', 'HEAD'].includes(request.method ?? 'GET') ? undefined : body,
      });
      response.writeHead(forwarded.status, Object.fromEntries([...forwarded.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))));
      response.end(Buffer.from(await forwarded.arrayBuffer()));
    })().catch(() => {
      response.writeHead(502);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`;
  state.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
