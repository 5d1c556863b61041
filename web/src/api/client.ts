/** The one way the console talks to the API: same origin, JSON, the session cookie, and the CSRF header on writes. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

let csrfToken: string | null = null;
/** Set from POST /auth/login and GET /auth/me; sent as x-csrf-token on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Listeners told when the server says the session is gone (401 on a request that had one). */
const unauthorized = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorized.add(listener);
  return () => unauthorized.delete(listener);
}

type Options = {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  text?: boolean;
};

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: options.text ? 'text/plain, */*' : 'application/json' };
  if (method !== 'GET') {
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) {
    let code = 'error';
    let message = `${response.status} ${response.statusText}`;
    let field: string | undefined;
    try {
      const body = (await response.json()) as { error?: { code: string; message: string; field?: string } };
      if (body.error) ({ code, message, field } = body.error);
    } catch {
      // Not our error body (a proxy in between); the status line says enough.
    }
    if (response.status === 401 && csrfToken) for (const listener of unauthorized) listener();
    throw new ApiError(response.status, code, message, field);
  }
  return (options.text ? await response.text() : await response.json()) as T;
}

/** Builds a query string from defined values; arrays become comma lists. */
export function query(
  params: Record<string, string | number | readonly string[] | null | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(','));
    } else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
