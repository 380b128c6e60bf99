import { formatWsjf, humanize } from "../format";
import type { Feature } from "../types";

export function BacklogTable({ features }: { readonly features: readonly Feature[] }) {
  if (features.length === 0) return <p className="empty">The program backlog is empty.</p>;
  return (
    <table className="backlog" data-testid="backlog-table">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Key</th>
          <th>Title</th>
          <th>Kind</th>
          <th>State</th>
          <th className="num">WSJF</th>
          <th>Team</th>
          <th className="num">Stories</th>
          <th className="num">Prerequisites</th>
        </tr>
      </thead>
      <tbody>
        {features.map((feature, position) => (
          <tr key={feature.id} data-testid="backlog-row" data-feature-key={feature.key}>
            <td className="num" data-testid="backlog-position">
              {position + 1}
            </td>
            <td className="key" data-testid="backlog-key">
              {feature.key}
            </td>
            <td data-testid="backlog-title">{feature.title}</td>
            <td data-testid="backlog-kind">{humanize(feature.kind)}</td>
            <td data-testid="backlog-state">{humanize(feature.state)}</td>
            <td className="num" data-testid="backlog-wsjf">
              {formatWsjf(feature.wsjf)}
            </td>
            <td data-testid="backlog-team">{feature.owningTeam?.key ?? "—"}</td>
            <td className="num" data-testid="backlog-stories">
              {feature.stories.totalCount}
            </td>
            <td className="num" data-testid="backlog-prerequisites">
              {feature.dependsOn.totalCount}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
