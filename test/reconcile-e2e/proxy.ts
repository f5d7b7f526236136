/**
 * A pass-through HTTP proxy between the CLI and the reference server, so a test controls the one slow point a
 * crash test needs without any test branch in production code: it can hold a revoke (DELETE) request before
 * forwarding it (the effect never happens) or after (the server revoked; the client never hears back).
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `fail-delete` answers a DELETE with 503 without forwarding it (a server error the client sees). */
export type HoldMode = 'pass' | 'hold-before-forward' | 'hold-after-forward' | 'fail-delete';

export interface Proxy {
  url: string;
  mode: HoldMode;
  /** DELETE requests that reached the server. */
  deletesForwarded: string[];
  /** Resolves when a DELETE is being held. */
  held(): Promise<string>;
  /** Drops the connections of the requests held so far: their client sees the connection reset. */
  drop(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  const hanging: ServerResponse[] = [];
  let onHeld: ((path: string) => void) | null = null;
  const heldPromise = new Promise<string>((resolve) => (onHeld = resolve));

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host };
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
            resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
          });
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const proxy: Proxy = {
    url: '',
    mode: 'pass',
    deletesForwarded: [],
    held: () => heldPromise,
    drop: () => {
      for (const res of hanging.splice(0)) res.destroy();
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const isDelete = req.method === 'DELETE';
        const hold = isDelete ? proxy.mode : 'pass';
        if (hold === 'fail-delete') {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: 'UNAVAILABLE', message: 'try again later' }));
          return;
        }
        if (hold === 'hold-before-forward') {
          hanging.push(res);
          onHeld?.(req.url ?? '');
          return;
        }
        const reply = await forward(req, Buffer.concat(chunks));
        if (isDelete) proxy.deletesForwarded.push(req.url ?? '');
        if (hold === 'hold-after-forward') {
          hanging.push(res);
          onHeld?.(req.url ?? '');
          return;
        }
        res.writeHead(reply.status, reply.headers).end(reply.body);
      })().catch((e: unknown) => res.writeHead(502).end(String(e)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
