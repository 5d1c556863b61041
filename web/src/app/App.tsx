/** The console shell: top bar with navigation and who is logged in, and the page the URL names. */
import { lazy, Suspense } from 'react';
import { Loading } from '../components/States.tsx';
import { CommitmentsPage } from '../pages/CommitmentsPage.tsx';
import { CrossingsPage } from '../pages/CrossingsPage.tsx';
import { InboxPage } from '../pages/InboxPage.tsx';
import { IncidentPage } from '../pages/incident/IncidentPage.tsx';
import { LedgerPage } from '../pages/LedgerPage.tsx';
import { LoginPage, PasswordPage } from '../pages/LoginPage.tsx';
import { QueuePage } from '../pages/QueuePage.tsx';
import { ViolationsPage } from '../pages/ViolationsPage.tsx';
import { ReferenceProvider } from './reference.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

// The map library is most of the bundle: it loads with the situation page only.
const SituationPage = lazy(() => import('../pages/situation/SituationPage.tsx'));

type NavItem = { to: string; label: string; active(path: string): boolean; account?: boolean };

const NAV: NavItem[] = [
  { to: '/', label: 'Situation', active: (p: string) => p === '/' },
  { to: '/inbox', label: 'Inbox', active: (p: string) => p.startsWith('/inbox'), account: true },
  { to: '/queue', label: 'Queue', active: (p: string) => p.startsWith('/queue') },
  { to: '/violations', label: 'Violations', active: (p: string) => p.startsWith('/violations') },
  { to: '/crossings', label: 'Crossings', active: (p: string) => p.startsWith('/crossings') },
  { to: '/commitments', label: 'Commitments', active: (p: string) => p.startsWith('/commitments') },
  { to: '/ledger', label: 'Ledger', active: (p: string) => p.startsWith('/ledger') },
];

function TopBar({ path }: { path: string }) {
  const { me, logout } = useSession();
  const role = me?.role ?? 'public';
  return (
    <header className="topbar">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand" aria-label="Truce — situation">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Truce</span>
        <span className="brand-sub">Monitoring &amp; Verification</span>
      </Link>
      <nav aria-label="Console">
        <ul>
          {NAV.filter((item) => !item.account || role !== 'public').map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={item.active(path) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who">
        {me && role !== 'public' ? (
          <>
            <span className="who-name" data-testid="who">
              {me.username}
            </span>
            <span className="who-role">
              {role}
              {me.partyId ? ` · ${me.partyId}` : ''}
            </span>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => logout().then(() => navigate('/login'))}
            >
              Log out
            </button>
          </>
        ) : (
          <>
            <span className="who-role">Public view</span>
            <Link to="/login" className="button button-quiet">
              Log in
            </Link>
          </>
        )}
      </div>
    </header>
  );
}

function Page({ path }: { path: string }) {
  const { me } = useSession();
  if (!me) return <Loading />;
  // A one-time password must be replaced before anything else (the server refuses reads until then).
  if (me.mustChangePassword) return <PasswordPage />;
  if (path === '/' || path === '')
    return (
      <Suspense fallback={<Loading label="Loading the map…" />}>
        <SituationPage />
      </Suspense>
    );
  const incident = match('/incidents/:id', path);
  if (incident) return <IncidentPage id={incident.id!} />;
  if (path === '/inbox') return <InboxPage />;
  if (path === '/queue') return <QueuePage />;
  if (path === '/violations') return <ViolationsPage />;
  if (path === '/crossings') return <CrossingsPage />;
  if (path === '/commitments') return <CommitmentsPage />;
  if (path === '/ledger') return <LedgerPage />;
  if (path === '/login') return <LoginPage />;
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        No console page at <code>{path}</code>. <Link to="/">Back to the situation</Link>.
      </p>
    </div>
  );
}

function Shell() {
  const { path } = useLocation();
  const wide = path === '/' || path === '';
  return (
    <div className={wide ? 'shell shell-wide' : 'shell'}>
      <TopBar path={path} />
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </div>
  );
}

export function App() {
  return (
    <SessionProvider>
      <ReferenceProvider>
        <Shell />
      </ReferenceProvider>
    </SessionProvider>
  );
}
