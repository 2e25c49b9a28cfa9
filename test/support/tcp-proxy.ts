import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a server, to make it hang as a network partition would: while frozen,
 * connections are accepted but nothing flows either way, and nothing is closed. Bytes are held, not
 * dropped, so that thawed connections carry on where they stopped.
 */
export class TcpProxy {
  private frozen = false;
  private readonly pairs = new Set<[Socket, Socket | undefined]>();
  private readonly waiting: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer((client) => proxy.relay(client, targetPort));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  freeze(): void {
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream?.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const [client, upstream] of this.pairs) {
      client.resume();
      upstream?.resume();
    }
    for (const connect of this.waiting.splice(0)) connect();
  }

  async stop(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream?.destroy();
    }
    await new Promise((done) => this.server.close(done));
  }

  private relay(client: Socket, targetPort: number): void {
    const pair: [Socket, Socket | undefined] = [client, undefined];
    this.pairs.add(pair);
    client.pause();
    client.on('error', () => undefined);
    client.on('close', () => {
      pair[1]?.destroy();
      this.pairs.delete(pair);
    });
    const connect = () => {
      if (client.destroyed) return;
      const upstream = createConnection(targetPort, '127.0.0.1');
      pair[1] = upstream;
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.frozen) {
        client.pause();
        upstream.pause();
      }
    };
    if (this.frozen) this.waiting.push(connect);
    else connect();
  }
}
