/** The backlog: one tab per view (spec §1), the active one in the URL (/backlog/<view>). */
import { useRef, type KeyboardEvent } from 'react';
import { BacklogGrid } from '../components/BacklogGrid';
import { navigate } from '../lib/router';
import { BACKLOG_VIEWS } from './backlog-views';

export function BacklogPage({ viewKey }: { viewKey?: string }) {
  const view = BACKLOG_VIEWS.find((v) => v.key === viewKey) ?? BACKLOG_VIEWS[0]!;
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const index = BACKLOG_VIEWS.indexOf(view);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = BACKLOG_VIEWS[(index + step + BACKLOG_VIEWS.length) % BACKLOG_VIEWS.length]!;
    navigate(`/backlog/${next.key}`);
    tabs.current[BACKLOG_VIEWS.indexOf(next)]?.focus();
  };

  return (
    <div className="page">
      <h1>Billing backlog</h1>
      <div role="tablist" aria-label="Backlog views" className="tabs" onKeyDown={onKeyDown}>
        {BACKLOG_VIEWS.map((v, i) => (
          <button
            key={v.key}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            role="tab"
            id={`tab-${v.key}`}
            aria-selected={v === view}
            aria-controls="backlog-panel"
            tabIndex={v === view ? 0 : -1}
            onClick={() => navigate(`/backlog/${v.key}`)}
          >
            {v.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="backlog-panel" aria-labelledby={`tab-${view.key}`}>
        <BacklogGrid key={view.key} view={view} />
      </div>
    </div>
  );
}
