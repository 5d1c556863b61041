/** Loading, empty and error states, written the same way on every page. */
import { ApiError } from '../api/client.ts';
import { Link } from '../app/router.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      {label}
    </p>
  );
}

export function ErrorNote({ error, what }: { error: Error; what?: string }) {
  const status = error instanceof ApiError ? error.status : 0;
  let text = error.message;
  if (status === 404) text = `${what ?? 'This record'} does not exist, or is not shared with you.`;
  if (status === 401) text = 'Log in to see this.';
  return (
    <div className="state state-error" role="alert">
      <p>{text}</p>
      {status === 401 || status === 404 ? (
        <p>
          <Link to="/login">Log in</Link> with an account that may see it, or go back to the{' '}
          <Link to="/">situation</Link>.
        </p>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}
