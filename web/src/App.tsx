import { Link } from './components/Link';
import { setToken } from './lib/api';
import { match, navigate, usePath } from './lib/router';
import { useMe } from './lib/me';
import { AgeingPage } from './pages/AgeingPage';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { AuditPage } from './pages/AuditPage';
import { ImportPage } from './pages/ImportPage';
import { InvoiceRunPage } from './pages/InvoiceRunPage';
import { TokensPage } from './pages/TokensPage';
import { BacklogPage } from './pages/BacklogPage';
import { ContractDetailPage } from './pages/ContractDetailPage';
import { ContractsPage } from './pages/ContractsPage';
import { CustomerPage, CustomersPage } from './pages/CustomersPage';
import { InvoiceDetailPage } from './pages/InvoiceDetailPage';
import { InvoicesPage } from './pages/InvoicesPage';
import { SettingsPage } from './pages/SettingsPage';

const NAV = [
  { href: '/backlog', label: 'Backlog' },
  { href: '/contracts', label: 'Contracts' },
  { href: '/invoices', label: 'Invoices' },
  { href: '/ageing', label: 'Ageing' },
  { href: '/approvals', label: 'Approvals' },
  { href: '/invoice-runs', label: 'Invoice runs' },
  { href: '/import', label: 'Import' },
  { href: '/audit', label: 'Audit' },
  { href: '/tokens', label: 'Tokens', admin: true },
  { href: '/customers', label: 'Customers' },
  { href: '/settings', label: 'Settings' },
];

function Route({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === '/' || path === '/backlog') return <BacklogPage />;
  if ((m = match('/backlog/:view', path))) return <BacklogPage viewKey={m.view} />;
  if (path === '/contracts') return <ContractsPage />;
  if ((m = match('/contracts/:id', path))) return <ContractDetailPage id={m.id!} />;
  if (path === '/invoices') return <InvoicesPage />;
  if ((m = match('/invoices/:id', path))) return <InvoiceDetailPage id={m.id!} />;
  if (path === '/ageing') return <AgeingPage />;
  if (path === '/approvals') return <ApprovalsPage />;
  if (path === '/invoice-runs') return <InvoiceRunPage />;
  if (path === '/import') return <ImportPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/tokens') return <TokensPage />;
  if (path === '/customers') return <CustomersPage />;
  if ((m = match('/customers/:id', path))) return <CustomerPage id={m.id!} />;
  if (path === '/settings') return <SettingsPage />;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        <Link href="/backlog">Go to the backlog</Link>
      </p>
    </div>
  );
}

export function App() {
  const path = usePath();
  const me = useMe();
  return (
    <>
      <header className="topbar">
        <a
          className="brand"
          href="/backlog"
          onClick={(e) => (e.preventDefault(), navigate('/backlog'))}
        >
          Billing backlog
        </a>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.admin || me?.role === 'admin').map((n) => (
            <Link
              key={n.href}
              href={n.href}
              aria-current={path === n.href || path.startsWith(`${n.href}/`) ? 'page' : undefined}
            >
              {n.label}
            </Link>
          ))}
        </nav>
        {me && (
          <span className="signed-in" aria-label="Signed in as">
            {me.name} · {me.role}
          </span>
        )}
        <button type="button" className="secondary sign-out" onClick={() => setToken(null)}>
          Sign out
        </button>
      </header>
      <main>
        <Route path={path} />
      </main>
    </>
  );
}
