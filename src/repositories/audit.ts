/** Audit events (R35): who did what to which record, when, with the old and new status. */
import type { Insertable, Kysely } from 'kysely';
import type { AuditEventsTable, DB } from '../db/schema.js';
import { insertColumnwise, type InsertColumn } from './column-inserts.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export interface AuditEvent {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  contractId?: string | null;
  from?: string | null;
  to?: string | null;
  /** R90: the setup field a change names; `from`/`to` are then its old and new value. */
  field?: string | null;
}

type NewAuditEvent = Insertable<AuditEventsTable>;

const AUDIT_COLUMNS: readonly InsertColumn<NewAuditEvent>[] = [
  ['actor', 'text'],
  ['action', 'text'],
  ['entity_type', 'text'],
  ['entity_id', 'text'],
  ['contract_id', 'bigint'],
  ['from_status', 'text'],
  ['to_status', 'text'],
  ['field', 'text'],
];

export async function recordAudit(db: Kysely<DB>, events: readonly AuditEvent[]): Promise<void> {
  await insertColumnwise<NewAuditEvent, never>(
    db,
    'audit_events',
    AUDIT_COLUMNS,
    events.map((e) => ({
      actor: e.actor,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      contract_id: e.contractId ?? null,
      from_status: e.from ?? null,
      to_status: e.to ?? null,
      field: e.field ?? null,
    })),
    { returning: false },
  );
}

export interface AuditQuery {
  entityId?: string;
  entityType?: string;
  action?: string;
  actor?: string;
  contractId?: string;
  /** The global audit page reads newest first. */
  order?: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export interface AuditEventView {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  from: string | null;
  to: string | null;
  field: string | null;
}

export async function listAuditEvents(
  db: Kysely<DB>,
  q: AuditQuery,
): Promise<Page<AuditEventView>> {
  const after = decodeCursor(q.cursor, ['id']);
  const desc = q.order === 'desc';
  let query = db
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('id', desc ? 'desc' : 'asc')
    .limit(q.limit + 1);
  if (q.entityId !== undefined) query = query.where('entity_id', '=', q.entityId);
  if (q.entityType !== undefined) query = query.where('entity_type', '=', q.entityType);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.actor !== undefined) query = query.where('actor', '=', q.actor);
  if (q.contractId !== undefined) query = query.where('contract_id', '=', q.contractId);
  if (after?.[0]) query = query.where('id', desc ? '<' : '>', after[0]);
  const rows = await query.execute();
  return toPage(
    rows,
    q.limit,
    (r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      from: r.from_status,
      to: r.to_status,
      field: r.field,
    }),
    (r) => [r.id],
  );
}
