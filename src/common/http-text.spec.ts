import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { requestText } from './http-text.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Whether what a caller's async context held (a request's logger, say) can be collected once the call is over. */
async function contextFreedAfter(call: () => Promise<unknown>): Promise<boolean> {
  const context = new AsyncLocalStorage<object>();
  // The store is referenced only in here, so that after this nothing but the call can hold it.
  const held = await (async () => {
    const store = { request: 'x'.repeat(1000) };
    await context.run(store, call).catch(() => undefined);
    return new WeakRef(store);
  })();
  // Time for the socket to close (it belongs to the context too), then one full collection: a
  // context held by a timer would stay until the timer fires or its signal is itself collected.
  await new Promise((done) => setTimeout(done, 250));
  collectGarbage();
  return held.deref() === undefined;
}

describe(requestText.name, () => {
  let server: Server;
  let url: URL;
  let answer: RequestListener;

  beforeAll(async () => {
    server = createServer((request, response) => answer(request, response));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('returns the status and the text', async () => {
    answer = (request, response) => request.on('data', () => undefined).on('end', () => response.end('{"ok":true}'));
    const result = await requestText(url, { method: 'POST', body: '{}', timeoutMs: 60_000, maxBytes: 100, agent: false });
    expect(result).toMatchObject({ status: 200, text: '{"ok":true}' });
  });

  // A timer left armed for the whole timeout would keep the caller's request alive that long:
  // under load, thousands of them, all promoted into the old generation.
  it("holds nothing of the caller's context once answered or failed", async () => {
    answer = (_request, response) => response.end('ok');
    expect(await contextFreedAfter(() => requestText(url, { method: 'GET', timeoutMs: 60_000, maxBytes: 100, agent: false }))).toBe(true);
    expect(await contextFreedAfter(() => requestText(url, { method: 'GET', timeoutMs: 60_000, maxBytes: 1, agent: false }))).toBe(true);
  });

  it('gives up on a server that never answers after the timeout', async () => {
    answer = () => undefined;
    const started = Date.now();
    await expect(requestText(url, { method: 'GET', timeoutMs: 200, maxBytes: 100, agent: false })).rejects.toThrow(
      `${url.host} did not answer within 200 ms`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up on an answer that stops half-way after the timeout', async () => {
    answer = (_request, response) => response.writeHead(200, { 'content-length': '10' }).write('12345');
    await expect(requestText(url, { method: 'GET', timeoutMs: 200, maxBytes: 100, agent: false })).rejects.toThrow(
      `${url.host} did not answer within 200 ms`,
    );
  });

  it.each([
    [
      'announced',
      (response: Parameters<RequestListener>[1]) => response.writeHead(200, { 'content-length': '1000' }).end('x'.repeat(1000)),
    ],
    ['streamed', (response: Parameters<RequestListener>[1]) => response.end('x'.repeat(1000))],
  ])('refuses an answer longer than maxBytes (%s length)', async (_case, respond) => {
    answer = (_request, response) => respond(response);
    await expect(requestText(url, { method: 'GET', timeoutMs: 5000, maxBytes: 100, agent: false })).rejects.toThrow(
      `${url.host} answered more than 100 bytes`,
    );
  });
});
