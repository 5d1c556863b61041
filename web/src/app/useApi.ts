/** Loads an API resource for a component: data, error and a reload, with the request aborted on change. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';

export type Resource<T> = {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
};

export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (path === null) return;
    // nonce: a reload of the same path re-runs this effect.
    void nonce;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: controller.signal })
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error: Error) => {
        if (controller.signal.aborted) return;
        setState({ data: null, error, loading: false });
      });
    return () => controller.abort();
  }, [path, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
