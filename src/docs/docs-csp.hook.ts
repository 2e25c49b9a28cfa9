import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config.js';
import { docsContentSecurityPolicy } from '../common/security-headers.js';

/**
 * Gives the docs pages their policy (the app-wide one plus inline styles) when the reply is sent,
 * so that it replaces the header helmet set earlier, for these paths only.
 */
export function addDocsContentSecurityPolicy(app: NestFastifyApplication, config: AppConfig, docsPath: string): void {
  const policy = docsContentSecurityPolicy(config);
  const below = `${docsPath}/`;
  const query = `${docsPath}?`;
  // A callback hook, not an async one: it runs on every reply, the API's hot path included.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const { url } = request;
      if (url === docsPath || url.startsWith(below) || url.startsWith(query)) reply.header('content-security-policy', policy);
      done(null, payload);
    });
}
