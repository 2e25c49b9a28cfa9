import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: string;
  body: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Sends a request byte for byte over a socket, for what fetch() cannot send: repeated headers, or
 * a body trickled in slowly (`trickle`: the body goes out one byte every `trickleEveryMs`).
 */
export function rawRequest(
  url: string,
  head: string,
  options: { body?: string; trickleEveryMs?: number; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearInterval(timer);
      const [headers, ...body] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0);
      resolve({ status, headers, body: body.join('\r\n\r\n'), closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => {
      socket.write(head.replace(/\n/g, '\r\n') + '\r\n');
      const body = options.body ?? '';
      if (!options.trickleEveryMs) return void socket.write(body);
      let sent = 0;
      timer = setInterval(() => {
        if (sent < body.length && !socket.destroyed) socket.write(body[sent++]);
      }, options.trickleEveryMs);
    });
  });
}
