/**
 * Who is signed in (`GET /me`): the UI shows only what the role may do. The permission
 * table is the server's own (`src/policies/roles.ts`), bundled in, never copied.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { can, type Permission } from '../../../src/policies/roles';
import type { Role } from '../../../src/db/schema';
import { get } from './api';

export type { Permission };

export interface Me {
  tokenId: string | null;
  name: string;
  role: Role;
}

const MeContext = createContext<Me | null>(null);

export function MeProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    get<Me>('/me').then(setMe, () => setMe(null));
  }, []);
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me | null {
  return useContext(MeContext);
}

/** The least role that holds a permission, for "needs the … role" tooltips. */
export const ROLE_FOR: Record<Permission, string> = {
  read: 'viewer',
  bill: 'biller',
  approve: 'approver',
  admin: 'admin',
};

export interface Allowance {
  allowed: boolean;
  /** Why not, naming the role needed; empty when allowed. */
  reason: string;
  /** A read-only role sees no actions at all rather than a page of disabled buttons. */
  hidden: boolean;
}

export function useAllowance(need: Permission): Allowance {
  const me = useMe();
  // Until /me answers, nothing is offered; the server checks every request anyway.
  if (!me) return { allowed: false, reason: 'Checking your role…', hidden: false };
  if (can(me.role, need)) return { allowed: true, reason: '', hidden: false };
  const reason =
    need === 'admin'
      ? `Needs the admin role (you are ${me.role})`
      : `Needs the ${ROLE_FOR[need]} or admin role (you are ${me.role})`;
  return { allowed: false, reason, hidden: me.role === 'viewer' };
}
