/**
 * A server-sent event stream read with fetch, so the organiser token goes in the Authorization
 * header (EventSource cannot send one). It reconnects by itself with backoff and says how it
 * stands: `live` (connected, data fresh), `reconnecting` (lost, trying again), `offline` (the
 * browser is offline, or several attempts failed; it keeps trying). Each connection starts with
 * the whole object, so a reconnect catches up with whatever happened in between.
 */
import { createParser } from 'eventsource-parser';
import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, type Service } from '../../api';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'failed';

export interface StreamView<T> {
  data: T | null;
  state: StreamState;
  /** When the last object arrived. */
  updatedAt: Date | null;
  /** Why the stream gave up (`failed`): the service's message. */
  error?: string;
}

export interface StreamOptions {
  /** The SSE event name to take (`event:` line); messages without a name are taken too. */
  eventName: string;
  /** Where to ask for the object once when the stream endpoint does not exist (404/405). */
  fallbackPath?: string;
  /** How often to ask `fallbackPath` (ms). */
  pollMs?: number;
  /** No byte (not even a keep-alive comment) for this long: the connection is dead. */
  silenceMs?: number;
}

const FIRST_RETRY_MS = 1000;
/** A control room wants its figures back soon: never more than this between attempts. */
const MAX_RETRY_MS = 10_000;
/** Failed attempts in a row after which the page says `offline` rather than `reconnecting`. */
const OFFLINE_AFTER = 4;

/** Waits `ms`, or less when the browser comes back online or the stream is stopped. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
    signal.addEventListener('abort', done);
  });

export function useEventStream<T>(
  api: Api,
  service: Service,
  path: string,
  options: StreamOptions,
): StreamView<T> {
  const [view, setView] = useState<StreamView<T>>({
    data: null,
    state: 'connecting',
    updatedAt: null,
  });
  const { eventName, fallbackPath, pollMs = 5000, silenceMs = 45_000 } = options;

  useEffect(() => {
    const stop = new AbortController();
    const set = (patch: Partial<StreamView<T>>) => {
      if (!stop.signal.aborted) setView((current) => ({ ...current, ...patch }));
    };
    const received = (data: T) => set({ data, state: 'live', updatedAt: new Date() });

    /** One connection: resolves when it ends (closed by the server, silence, or an error). */
    const connect = async (onOpen: () => void): Promise<void> => {
      const connection = new AbortController();
      const abort = () => connection.abort();
      stop.signal.addEventListener('abort', abort);
      let silence: ReturnType<typeof setTimeout> | undefined;
      const watch = () => {
        clearTimeout(silence);
        silence = setTimeout(abort, silenceMs);
      };
      watch(); // also while waiting for the answer's headers
      let opened = false;
      try {
        const response = await api.fetch(
          service,
          'GET',
          path,
          undefined,
          undefined,
          connection.signal,
          'text/event-stream',
        );
        if (!response.body) throw new Error('no response body');
        const parser = createParser({
          onEvent: (message) => {
            if (message.event !== undefined && message.event !== eventName) return;
            try {
              received(JSON.parse(message.data) as T);
              opened = true;
              onOpen();
            } catch {
              // a damaged message: the next one replaces it
            }
          },
          onRetry: (ms) => (serverRetryMs = Math.max(500, ms)),
          // A keep-alive on a connection that has had its object: what is shown is still current.
          onComment: () => {
            if (opened) set({ updatedAt: new Date() });
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        watch();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          watch();
          parser.feed(value);
        }
      } finally {
        clearTimeout(silence);
        stop.signal.removeEventListener('abort', abort);
        connection.abort();
      }
    };

    let serverRetryMs = FIRST_RETRY_MS;

    const poll = async (): Promise<void> => {
      while (!stop.signal.aborted && fallbackPath) {
        try {
          received(await api.get<T>(service, fallbackPath));
        } catch (error) {
          if (error instanceof ApiError && error.status < 500) {
            return set({ state: 'failed', error: error.message });
          }
          set({ state: navigator.onLine ? 'reconnecting' : 'offline' });
        }
        await pause(pollMs, stop.signal);
      }
    };

    const run = async (): Promise<void> => {
      let failures = 0;
      while (!stop.signal.aborted) {
        try {
          await connect(() => (failures = 0));
          // The server ended the stream (a restart, a deploy): reconnect at its pace.
        } catch (error) {
          if (stop.signal.aborted) return;
          if (error instanceof ApiError) {
            // 401: the shell signs out (Api's onUnauthorised); nothing more to do here.
            if (error.status === 401) return;
            if ((error.status === 404 || error.status === 405) && fallbackPath) return poll();
            if (error.status < 500 && error.status !== 408 && error.status !== 429) {
              return set({ state: 'failed', error: error.message });
            }
          }
        }
        if (stop.signal.aborted) return;
        failures += 1;
        set({
          state: !navigator.onLine || failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting',
        });
        const backoff = Math.min(MAX_RETRY_MS, serverRetryMs * 2 ** Math.max(0, failures - 1));
        await pause(backoff * (0.8 + Math.random() * 0.4), stop.signal);
      }
    };

    const goneOffline = () => set({ state: 'offline' });
    window.addEventListener('offline', goneOffline);
    void run();
    return () => {
      window.removeEventListener('offline', goneOffline);
      stop.abort();
    };
  }, [api, service, path, eventName, fallbackPath, pollMs, silenceMs]);

  return view;
}
