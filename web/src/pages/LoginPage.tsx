/** Log-in, and the password change a one-time password forces before anything else. */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { navigate } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { FormError, TextField } from '../components/Form.tsx';

export function LoginPage() {
  const { login, me } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      navigate('/');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page page-narrow">
      <form className="card form login" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Log in</h1>
        <p className="lede">
          {me && me.role !== 'public'
            ? `You are logged in as ${me.username} (${me.role}). Log in again to switch accounts.`
            : 'Mechanism staff and party delegates log in to see what is shared with them. Without an account you see the public record.'}
        </p>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={setUsername}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <FormError error={error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Checking…' : 'Log in'}
          </button>
        </div>
      </form>
    </div>
  );
}

export function PasswordPage() {
  const { changePassword, me, logout } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== again) return setError('The two new passwords differ.');
    try {
      await changePassword(current, next);
      navigate('/');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <div className="page page-narrow">
      <form className="card form login" onSubmit={submit} aria-labelledby="password-title">
        <h1 id="password-title">Choose a new password</h1>
        <p className="lede">
          {me?.username} logged in with a one-time password. Choose your own before going on; it is never
          shown to anyone.
        </p>
        <TextField
          label="One-time password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={setNext}
        />
        <TextField
          label="New password again"
          name="newPasswordAgain"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={setAgain}
        />
        <FormError error={error} />
        <div className="form-actions">
          <button
            type="button"
            className="button button-quiet"
            onClick={() => logout().then(() => navigate('/login'))}
          >
            Log out
          </button>
          <button type="submit" className="button button-primary">
            Set password
          </button>
        </div>
      </form>
    </div>
  );
}
