import { useEffect, useMemo } from 'preact/hooks';

/**
 * The requests a component makes for what it shows (one person, one event), safe against answers
 * that come late: once the component is gone or shows something else (`deps` changed), `active`
 * is false and a promise passed through `settle` never settles, so nothing after it runs and no
 * state is set on a page that has moved on. One hook instead of an `alive` flag checked by hand
 * after every await.
 */
export interface AsyncScope {
  readonly active: boolean;
  settle<T>(promise: Promise<T>): Promise<T>;
}

export function useAsyncScope(deps: unknown[]): AsyncScope {
  const scope = useMemo(() => {
    let active = true;
    return {
      get active() {
        return active;
      },
      settle<T>(promise: Promise<T>): Promise<T> {
        return new Promise<T>((resolve, reject) => {
          void promise.then(
            (value) => {
              if (active) resolve(value);
            },
            (error: unknown) => {
              if (active) reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        });
      },
      end() {
        active = false;
      },
    };
  }, deps);
  useEffect(() => () => scope.end(), [scope]);
  return scope;
}

/** A pause, e.g. between two looks at something the services do in the background. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
