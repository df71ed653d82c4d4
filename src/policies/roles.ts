/**
 * Who may do what (spec §5). Routes declare the permission they need; this table is the
 * one place that says which roles hold it.
 */
import type { Role } from '../db/schema.js';

export type Permission = 'read' | 'bill' | 'approve' | 'admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  biller: ['read', 'bill'],
  approver: ['read', 'approve'],
  admin: ['read', 'bill', 'approve', 'admin'],
};

export const ROLES = Object.keys(GRANTS) as Role[];

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
