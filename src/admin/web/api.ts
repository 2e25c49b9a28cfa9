import type { Session } from './session.js';
import type { ErrorBody } from './types.js';

/** An error answer of the API, or a failure to reach it, with a message meant for people. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const FRIENDLY: Record<string, string> = {
  token_expired: 'Your session has expired. Please sign in again.',
  token_missing: 'You are not signed in.',
  account_disabled: 'Your account has been deactivated. Ask an admin to reactivate it.',
  token_revoked: 'Your sign-in was revoked (signed out everywhere). Please sign in again.',
  keys_unavailable: 'The server cannot check sign-ins right now (the user pool is unreachable). Try again in a few seconds.',
  database_unavailable: 'The database is unreachable right now. Try again in a few seconds.',
  internal_error: 'Something went wrong on the server. Try again; if it keeps failing, check the server logs.',
};

/** The API with the signed-in user's token; an expired token is refreshed once, then the call is repeated. */
export class Api {
  /** `onSignedOut` runs when the token is refused and cannot be refreshed: the page asks to sign in again. */
  constructor(
    private readonly session: Session,
    private readonly onSignedOut: (message: string) => void = () => undefined,
  ) {}

  /** Runs when the server says it may not make a pool call: the page reloads which features to grey out. */
  onPoolDenied: () => void = () => undefined;

  get<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
    const search = params.toString();
    return this.request<T>('GET', search ? `${path}?${search}` : path);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string): Promise<T> {
    return this.request<T>('PUT', path);
  }

  delete<T = null>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response = await this.send(method, path, body);
    if (response.status === 401 && (await this.session.refresh())) response = await this.send(method, path, body);
    const text = await response.text();
    const data: unknown = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null;
    if (response.ok) return data as T;
    const error = (data ?? {}) as Partial<ErrorBody>;
    const code = error.code ?? `http_${response.status}`;
    const message = FRIENDLY[code] ?? error.message ?? `The server answered HTTP ${response.status}.`;
    if (response.status === 401) {
      this.session.clear();
      this.onSignedOut(code === 'token_expired' ? message : `You have been signed out: ${message}`);
    }
    if (code === 'pool_admin_unavailable') this.onPoolDenied();
    throw new ApiProblem(response.status, code, code === 'validation_failed' ? `Not saved: ${message}` : message);
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.session.accessToken;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiProblem(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
    }
  }
}
