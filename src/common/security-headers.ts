import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { AppConfig } from '../config/app-config.js';

type Directives = Record<string, string[]>;

/**
 * The content security policy of every answer: scripts from this origin only (no inline script, no
 * eval), which is all the /admin page needs (one bundled script file). connect-src adds the Cognito
 * domain, where the page exchanges its sign-in code for tokens. `inlineStyles` is for the API docs
 * pages alone (Swagger UI's HTML carries <style> blocks); inline styles cannot run code.
 */
function policyDirectives(config: AppConfig, { inlineStyles = false } = {}): Directives {
  const connectSrc = ["'self'"];
  if (config.cognito.domain) connectSrc.push(new URL(config.cognito.domain).origin);
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc,
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    // Only where TLS is certain: it would turn the local emulator's http:// into an unreachable https://.
    ...(config.production ? { upgradeInsecureRequests: [] } : {}),
  };
}

/** The API docs pages' policy as a header value: the same as everywhere, plus inline styles. */
export function docsContentSecurityPolicy(config: AppConfig): string {
  return Object.entries(policyDirectives(config, { inlineStyles: true }))
    .map(([name, values]) => [name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`), ...values].join(' '))
    .join('; ');
}

/** Helmet's headers on every answer, with the policy above. */
export function securityHeaders(config: AppConfig): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: policyDirectives(config) },
    // Pinning https on a developer's localhost outlives the session and breaks other local servers.
    hsts: config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
  };
}
