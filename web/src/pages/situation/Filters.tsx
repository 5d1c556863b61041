/** The situation filters: period, type (with counts), the actor's party, status and sharing level. */

import { formatCount } from '../../app/format.ts';
import { useReference } from '../../app/reference.tsx';
import { StatusBadge, TlpBadge, TypeSwatch } from '../../components/Badges.tsx';
import { INCIDENT_TYPES, STATUSES, TLP_LEVELS, typeStyle } from '../../domain/vocabulary.ts';
import { hasFilters, type SituationView } from './view.ts';

type Props = {
  view: SituationView;
  typeCounts: Record<string, number>;
  onChange(patch: Partial<SituationView>): void;
  onReset(): void;
};

function toggle(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function Filters({ view, typeCounts, onChange, onReset }: Props) {
  const { parties } = useReference();
  const belligerents = parties.filter((p) => p.role === 'belligerent');
  return (
    <aside className="filters" aria-label="Filters">
      <div className="filters-head">
        <h2 className="section-title">Filters</h2>
        {hasFilters(view) ? (
          <button type="button" className="button button-quiet button-small" onClick={onReset}>
            Reset
          </button>
        ) : null}
      </div>

      <fieldset className="filter-group">
        <legend>Period</legend>
        <div className="date-range">
          <label>
            <span>From</span>
            <input
              type="date"
              value={view.from ?? ''}
              max={view.to ?? undefined}
              onChange={(e) => onChange({ from: e.target.value || null })}
            />
          </label>
          <label>
            <span>To</span>
            <input
              type="date"
              value={view.to ?? ''}
              min={view.from ?? undefined}
              onChange={(e) => onChange({ to: e.target.value || null })}
            />
          </label>
        </div>
      </fieldset>

      <fieldset className="filter-group">
        <legend>Incident type</legend>
        <ul className="checks">
          {INCIDENT_TYPES.map((type) => (
            <li key={type}>
              <label className="check">
                <input
                  type="checkbox"
                  name="type"
                  value={type}
                  checked={view.types.includes(type)}
                  onChange={() => onChange({ types: toggle(view.types, type) })}
                />
                <TypeSwatch type={type} />
                <span className="check-label">{typeStyle(type).label}</span>
                <span className="check-count">{formatCount(typeCounts[type] ?? 0)}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset className="filter-group">
        <legend>Actor's party</legend>
        <ul className="checks">
          {belligerents.map((party) => (
            <li key={party.id}>
              <label className="check">
                <input
                  type="checkbox"
                  name="party"
                  value={party.id}
                  checked={view.parties.includes(party.id)}
                  onChange={() => onChange({ parties: toggle(view.parties, party.id) })}
                />
                <span className={`party party-${party.id.toLowerCase()}`}>{party.id}</span>
                <span className="check-label">{party.name}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset className="filter-group">
        <legend>Status</legend>
        <ul className="checks">
          {STATUSES.map((status) => (
            <li key={status}>
              <label className="check">
                <input
                  type="checkbox"
                  name="status"
                  value={status}
                  checked={view.statuses.includes(status)}
                  onChange={() => onChange({ statuses: toggle(view.statuses, status) })}
                />
                <StatusBadge status={status} />
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset className="filter-group">
        <legend>Sharing (TLP)</legend>
        <ul className="checks">
          {TLP_LEVELS.map((tlp) => (
            <li key={tlp}>
              <label className="check">
                <input
                  type="checkbox"
                  name="tlp"
                  value={tlp}
                  checked={view.tlps.includes(tlp)}
                  onChange={() => onChange({ tlps: toggle(view.tlps, tlp) })}
                />
                <TlpBadge tlp={tlp} />
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <p className="hint filters-note">No box ticked in a group means all of it.</p>
    </aside>
  );
}
