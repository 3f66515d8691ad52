/** A small HTTP client for tests: JSON in and out, the status kept for assertions. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  withToken(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isRaw ? (body as string) : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const payload = type.includes('application/json')
      ? await response.json()
      : type.includes('application/pdf') || type.includes('application/zip')
        ? Buffer.from(await response.arrayBuffer())
        : await response.text();
    return { status: response.status, body: payload as T, headers: response.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
}

/** Check-in's log of an event counted per gate and result (`Nord/admitted`: 3), its first 500 entries. */
export async function checkinsPerGate(
  checkin: ApiClient,
  slug: string,
): Promise<Record<string, number>> {
  const { body } = await checkin.get(`/api/events/${slug}/checkins?limit=500`);
  const counts: Record<string, number> = {};
  for (const item of body.items as { gate: string; result: string }[]) {
    counts[`${item.gate}/${item.result}`] = (counts[`${item.gate}/${item.result}`] ?? 0) + 1;
  }
  return counts;
}
