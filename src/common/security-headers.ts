import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { AppConfig } from '../config/app-config.js';

/**
 * Helmet's headers on every answer, with a content security policy that allows scripts from this
 * origin only (no inline script, no eval): the /admin page loads its one bundled script file.
 * connect-src adds the Cognito domain, where the page exchanges its sign-in code for tokens.
 */
export function securityHeaders(config: AppConfig): FastifyHelmetOptions {
  const connectSrc = ["'self'"];
  if (config.cognito.domain) connectSrc.push(new URL(config.cognito.domain).origin);
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Inline styles cannot run code; the API docs page (Swagger UI) ships some.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc,
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        // Only where TLS is certain: it would turn the local emulator's http:// into an unreachable https://.
        ...(config.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Pinning https on a developer's localhost outlives the session and breaks other local servers.
    hsts: config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
  };
}
