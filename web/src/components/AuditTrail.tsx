/** The audit trail (R35, R90): who did what, when, with old and new value, as a table. */
import { useCallback, useEffect, useState } from 'react';
import { get, type Page } from '../lib/api';
import { humanize } from '../lib/model';

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  from: string | null;
  to: string | null;
  field?: string | null;
}

/** `createContract` → "Create contract". */
const actionWords = (action: string) => {
  const words = humanize(action).toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function AuditTable({ events, showEntity }: { events: AuditEvent[]; showEntity: boolean }) {
  return (
    <div className="table-wrap">
      <table className="grid compact">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            {showEntity && <th>Record</th>}
            <th>Field</th>
            <th>From</th>
            <th>To</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{dateTime.format(new Date(e.at))}</td>
              <td>{e.actor}</td>
              <td>{actionWords(e.action)}</td>
              {showEntity && (
                <td>
                  {humanize(e.entityType)} {e.entityId}
                </td>
              )}
              <td>{e.field ?? ''}</td>
              <td>{e.from === null ? '—' : humanize(e.from)}</td>
              <td>{e.to === null ? '—' : humanize(e.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 && <p className="empty">No events.</p>}
    </div>
  );
}

/** The trail of one record, newest last, with a button to load more. */
export function AuditTrail({ entityType, entityId }: { entityType: string; entityId: string }) {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const load = useCallback(
    async (after: string | null = null) => {
      const page = await get<Page<AuditEvent>>('/audit-events', {
        entityType,
        entityId,
        limit: 100,
        cursor: after,
      });
      setEvents((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    },
    [entityType, entityId],
  );
  useEffect(() => {
    void load().catch(() => setEvents([]));
  }, [load]);
  return (
    <details className="audit-trail">
      <summary>History of this {humanize(entityType).toLowerCase()}</summary>
      <AuditTable events={events} showEntity={false} />
      {cursor && (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </details>
  );
}
