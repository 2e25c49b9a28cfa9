import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The policy of the Swagger UI pages. @nestjs/swagger serves its scripts as files (no inline
 * script), so scripts stay 'self' only; its HTML carries inline <style> blocks, the one
 * exception, and it is limited to these pages. No upgrade-insecure-requests: the docs are read
 * over plain http on localhost too.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Sets the docs pages' policy when the reply is sent, so that it replaces whatever an app-wide
 * security-header hook set earlier for these paths, and only for them.
 */
export function addDocsContentSecurityPolicy(app: NestFastifyApplication, docsPath: string): void {
  const below = `${docsPath}/`;
  const query = `${docsPath}?`;
  // A callback hook, not an async one: it runs on every reply, the API's hot path included.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const { url } = request;
      if (url === docsPath || url.startsWith(below) || url.startsWith(query)) {
        reply.header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
      }
      done(null, payload);
    });
}
