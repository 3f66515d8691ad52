/**
 * The organisers' pages talk to all three services from the browser, with the organiser token in
 * the Authorization header. Where each service is comes from GET /dashboard/config.json.
 */
export type Service = 'registration' | 'badges' | 'checkin';

export interface DashboardConfig {
  services: Record<Service, string>;
}

/** A 4xx/5xx answer, with the service's message (API.md: {statusCode, error, message}). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = body.message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return `HTTP ${status}`;
}

export class Api {
  constructor(
    readonly config: DashboardConfig,
    readonly token: string,
    /** Called on 401: the token was revoked or expired; the shell goes back to sign-in. */
    private readonly onUnauthorised: () => void = () => undefined,
  ) {}

  url(service: Service, path: string): string {
    return `${this.config.services[service]}${path}`;
  }

  async request<T>(
    service: Service,
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const response = await this.fetch(service, method, path, body, contentType);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(service: Service, path: string): Promise<T> {
    return this.request<T>(service, 'GET', path);
  }

  /** A file (CSV, PDF) as a Blob, for downloading with the token (a plain link cannot send it). */
  async blob(service: Service, path: string): Promise<Blob> {
    const response = await this.fetch(service, 'GET', path);
    return response.blob();
  }

  /**
   * Fetches a file and hands it to the browser as a download named `filename`; with `body`, the
   * file is the answer to a POST of it (a certificate issued on request).
   */
  async download(service: Service, path: string, filename: string, body?: unknown): Promise<void> {
    const blob =
      body === undefined
        ? await this.blob(service, path)
        : await (await this.fetch(service, 'POST', path, body)).blob();
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }

  async fetch(
    service: Service,
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    signal?: AbortSignal,
    accept?: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (accept) headers.accept = accept;
    let payload: BodyInit | undefined;
    if (body !== undefined) {
      headers['content-type'] = contentType;
      payload = contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit);
    }
    const response = await fetch(this.url(service, path), {
      method,
      headers,
      body: payload,
      signal,
      cache: 'no-store',
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (response.status === 401) this.onUnauthorised();
      throw new ApiError(response.status, messageOf(parsed, response.status), parsed);
    }
    return response;
  }
}

export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch('/dashboard/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as DashboardConfig;
}
