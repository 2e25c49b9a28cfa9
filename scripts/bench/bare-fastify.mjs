// The reference of `npm run bench`: Fastify answering a constant JSON object, nothing else.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', () => ({ hello: 'world' }));
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
process.send?.('ready');
// Ends with the benchmark that started it.
process.on('disconnect', () => process.exit(0));
