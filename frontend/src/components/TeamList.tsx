import type { Team } from "../types";

export function TeamList({ teams }: { readonly teams: readonly Team[] }) {
  if (teams.length === 0) return <p className="empty">This ART has no teams yet.</p>;
  return (
    <ul className="team-list" data-testid="team-list">
      {teams.map((team) => (
        <li key={team.id} className="team" data-testid="team" data-team-key={team.key}>
          <span className="team-key">{team.key}</span>
          <span className="team-name" data-testid="team-name">
            {team.name}
          </span>
          {team.isSharedServices && <span className="badge">shared services</span>}
        </li>
      ))}
    </ul>
  );
}
