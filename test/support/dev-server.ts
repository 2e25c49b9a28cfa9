import { createServer, type Server } from 'node:http';
import { build } from 'esbuild';

export interface DevServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * A single-page app's dev server: the given script bundled with esbuild (as Vite would), served as
 * /app.js, and one HTML page on every other path (/, /callback), with the app's config in a JSON tag.
 */
export async function startDevServer(options: { entry: string; port: number; config: object; body: string }): Promise<DevServer> {
  const bundle = await build({
    entryPoints: [options.entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111'],
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0].contents;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SPA</title><link rel="icon" href="data:,">
<script type="application/json" id="config">${JSON.stringify(options.config)}</script></head>
<body>${options.body}<pre id="result"></pre><script type="module" src="/app.js"></script></body></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return void res.end(script);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((done) => server.listen(options.port, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${options.port}`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
