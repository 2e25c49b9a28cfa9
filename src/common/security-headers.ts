import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
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

/** Helmet's settings: the policy above on every answer. */
export function helmetOptions(config: AppConfig): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: policyDirectives(config) },
    // Pinning https on a developer's localhost outlives the session and breaks other local servers.
    hsts: config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
  };
}

/**
 * The headers helmet sets with these settings, computed once by running it against a response that
 * records them: none depends on the request (no nonces), and building them per request was a
 * measurable share of every request's time.
 */
export function securityHeaders(config: AppConfig): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  // Helmet 8 throws a bad setting itself; the callback only says it is done.
  helmet(helmetOptions(config))({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}
