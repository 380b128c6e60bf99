import type { ArtSummary } from "../types";

interface Props {
  readonly arts: readonly ArtSummary[];
  readonly selectedKey: string;
  readonly onSelect: (key: string) => void;
}

export function ArtPicker({ arts, selectedKey, onSelect }: Props) {
  return (
    <label className="art-picker">
      <span>Agile Release Train</span>
      <select
        data-testid="art-picker"
        value={selectedKey}
        onChange={(event) => onSelect(event.target.value)}
      >
        {arts.map((art) => (
          <option key={art.id} value={art.key}>
            {art.key} — {art.name}
          </option>
        ))}
      </select>
    </label>
  );
}
