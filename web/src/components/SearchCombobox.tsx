/**
 * A searchable picker of a contract or a customer, backed by the server's name search
 * (`GET /contracts?q=…`, `GET /customers?q=…`): it asks for the first matches of what is
 * typed and never downloads the whole list, so it works the same at 10 or 10,000 records.
 * ARIA combobox pattern: the input owns a listbox; ↓/↑ move, Enter picks, Escape closes.
 * Clearing the text picks nothing (`''`), which a filter reads as "all".
 */
import { useEffect, useId, useRef, useState } from 'react';
import { get, type Page } from '../lib/api';

export interface Named {
  id: string;
  name: string;
}

export interface SearchComboboxProps {
  kind: 'contracts' | 'customers';
  label: string;
  /** The picked id, '' for none. */
  value: string;
  onChange: (id: string, picked?: Named) => void;
  /** The form field name of the input (tests and autofill find it by this). */
  name?: string;
  placeholder?: string;
  /** Options asked for per search. */
  limit?: number;
}

const DEBOUNCE_MS = 200;

export function SearchCombobox({
  kind,
  label,
  value,
  onChange,
  name,
  placeholder,
  limit = 20,
}: SearchComboboxProps) {
  const listId = useId();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Named[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [busy, setBusy] = useState(false);
  const shown = useRef<Named | null>(null);

  // A value set from outside (a link, a reset) shows its name: one record, by id.
  useEffect(() => {
    if (!value) {
      shown.current = null;
      setText('');
      return;
    }
    if (shown.current?.id === value) return;
    let live = true;
    get<Named>(`/${kind}/${value}`)
      .then((record) => {
        if (!live) return;
        shown.current = record;
        setText(record.name);
      })
      .catch(() => live && setText(`#${value}`));
    return () => {
      live = false;
    };
  }, [kind, value]);

  // What is typed asks the server, once typing pauses; a later answer replaces an earlier one.
  useEffect(() => {
    if (!open) return;
    let live = true;
    const query = text === shown.current?.name ? '' : text;
    const timer = setTimeout(() => {
      setBusy(true);
      get<Page<Named>>(`/${kind}`, { q: query, limit })
        .then((page) => {
          if (!live) return;
          setOptions(page.items.map(({ id, name: n }) => ({ id, name: n })));
          setActive(-1);
        })
        .catch(() => live && setOptions([]))
        .finally(() => live && setBusy(false));
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [kind, text, open, limit]);

  const pick = (option: Named | null) => {
    shown.current = option;
    setText(option?.name ?? '');
    setOpen(false);
    setActive(-1);
    if ((option?.id ?? '') !== value) onChange(option?.id ?? '', option ?? undefined);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      if (!open) return;
      e.preventDefault();
      const option = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (option) pick(option);
      else if (text === '') pick(null);
    } else if (e.key === 'Escape') {
      setOpen(false);
      setText(shown.current?.name ?? '');
    }
  };

  const onBlur = () => {
    // Leaving an emptied box clears the pick; leaving half-typed text restores the pick.
    if (text.trim() === '') {
      if (value) pick(null);
      else setOpen(false);
    } else {
      setText(shown.current?.name ?? '');
      setOpen(false);
    }
  };

  const activeId = active >= 0 ? `${listId}-${active}` : undefined;
  return (
    <label className="combobox">
      {label}
      <input
        type="text"
        role="combobox"
        name={name}
        value={text}
        placeholder={placeholder}
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? activeId : undefined}
        aria-busy={busy}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label={label} className="combobox-options">
          {options.map((o, i) => (
            <li
              key={o.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active || o.id === value}
              className={i === active ? 'active' : undefined}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
            >
              {o.name}
            </li>
          ))}
          {!busy && options.length === 0 && (
            <li role="presentation" className="muted">
              No match
            </li>
          )}
        </ul>
      )}
    </label>
  );
}

type FilterProps = Pick<SearchComboboxProps, 'value' | 'onChange'>;

/** The contract or customer filter of a list page; '' is every one. */
function listFilter(kind: SearchComboboxProps['kind'], label: string, name: string) {
  return function ListFilter({ value, onChange }: FilterProps) {
    return (
      <SearchCombobox
        kind={kind}
        label={label}
        name={name}
        placeholder={`All ${kind}`}
        value={value}
        onChange={onChange}
      />
    );
  };
}

export const ContractFilter = listFilter('contracts', 'Contract', 'contractId');
export const CustomerFilter = listFilter('customers', 'Customer', 'customerId');
