/** Reconciled low / best / high per category and side, each with the one-line rule that produced it. */
import type { FigureGroup, Figures as FiguresData } from '../../api/types.ts';
import { formatCount, humanize } from '../../app/format.ts';
import { useReference } from '../../app/reference.tsx';
import { CATEGORIES } from '../../domain/vocabulary.ts';

function sideLabel(side: string | null, partyName: (id: string) => string) {
  return side ? `${partyName(side)} (${side})` : 'no party';
}

function order(a: FigureGroup, b: FigureGroup) {
  return (
    CATEGORIES.indexOf(a.category as (typeof CATEGORIES)[number]) -
      CATEGORIES.indexOf(b.category as (typeof CATEGORIES)[number]) ||
    (a.side ?? '~').localeCompare(b.side ?? '~')
  );
}

export function FiguresTable({
  measure,
  figures,
}: {
  measure: 'fatalities' | 'injuries';
  figures: FiguresData;
}) {
  const { partyName } = useReference();
  const groups = [...figures.groups].sort(order);
  if (groups.length === 0) return null;
  const totals = CATEGORIES.filter((c) => (figures.totals[c]?.high ?? 0) > 0);
  return (
    <table className="table figures" aria-label={`${humanize(measure)}, reconciled`}>
      <caption>{measure === 'fatalities' ? 'Killed' : 'Injured'} — reconciled from the claims below</caption>
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">Whose losses</th>
          <th scope="col" className="num">
            Low
          </th>
          <th scope="col" className="num">
            Best
          </th>
          <th scope="col" className="num">
            High
          </th>
          <th scope="col">Rule that produced it</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <tr key={`${group.category}|${group.side}`} className={group.disputed ? 'is-disputed' : undefined}>
            <th scope="row">{humanize(group.category)}</th>
            <td>{sideLabel(group.side, partyName)}</td>
            <td className="num">{formatCount(group.low)}</td>
            <td className="num num-best">{formatCount(group.best)}</td>
            <td className="num">{formatCount(group.high)}</td>
            <td className="rule">
              {group.disputed ? <span className="flag">disputed</span> : null}
              {group.rule}
            </td>
          </tr>
        ))}
      </tbody>
      {totals.length ? (
        <tfoot>
          {totals.map((category) => {
            const t = figures.totals[category]!;
            return (
              <tr key={category}>
                <th scope="row">Total {category}</th>
                <td>all sides</td>
                <td className="num">{formatCount(t.low)}</td>
                <td className="num num-best">{formatCount(t.best)}</td>
                <td className="num">{formatCount(t.high)}</td>
                <td className="rule">sum over sides; an unknown low or best counts as 0</td>
              </tr>
            );
          })}
        </tfoot>
      ) : null}
    </table>
  );
}
