// A tiny partner web site: a Node http server on another loopback port (so another
// origin than the collector) serving fixed pages with whatever headers a test needs.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PartnerFile {
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Partner {
  url: string;
  close(): Promise<void>;
}

export async function startPartner(files: Record<string, PartnerFile>): Promise<Partner> {
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://partner').pathname;
    const file = files[pathname];
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...file.headers,
    });
    response.end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A partner page embedding surveys with the documented two-line snippet. */
export function partnerPage(opts: {
  collector: string;
  body: string;
  lang?: string;
  head?: string;
  title?: string;
  /** What follows `embed.js` in its address, e.g. `?survey=engagement-2026`. */
  embedQuery?: string;
}): string {
  return `<!doctype html>
<html lang="${opts.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title ?? 'Partner page'}</title>
${opts.head ?? ''}
<script type="module" src="${opts.collector}/embed.js${opts.embedQuery ?? ''}"></script>
</head>
<body>
<main>
${opts.body}
</main>
</body>
</html>
`;
}
