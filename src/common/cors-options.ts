import type { FastifyCorsOptions } from '@fastify/cors';

/** Headers an SPA may send cross-origin: its bearer token and a JSON body. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type'];

/** Headers an SPA may read: the 401 challenge and when to retry after a 503. */
export const CORS_EXPOSED_HEADERS = ['WWW-Authenticate', 'Retry-After'];

/** Browsers cache a preflight this long (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS for the exact origins configured, nothing else. An origin function rather than a list,
 * because with a list @fastify/cors still answers other origins' preflights with its headers.
 * No credentials: the API reads bearer tokens, never cookies.
 */
export function corsOptions(origins: string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
    strictPreflight: true,
  };
}
