// What to read before discussing each agenda item (RefinementSession.prepPack): its
// feature, acceptance criteria, dependencies with their health on the board, the components
// it touches and their owners, open questions and follow-ups, what it still lacks.
import type { ReactNode } from "react";
import { humanize } from "../../format";
import type { PrepDependency, PrepItem } from "../../types";

export function PrepPack({ items }: { readonly items: readonly PrepItem[] }) {
  if (items.length === 0) return <p className="empty">Nothing on the agenda to prepare.</p>;
  return (
    <div className="prep-pack" data-testid="prep-pack">
      {items.map((item) => (
        <PrepCard key={item.position} item={item} />
      ))}
    </div>
  );
}

function PrepCard({ item }: { readonly item: PrepItem }) {
  const work = item.story ?? item.feature;
  return (
    <article className="prep-item" data-testid="prep-item" data-key={work.key}>
      <h4>
        {item.position}. <span className="key">{work.key}</span> {work.title}
      </h4>
      {item.story !== null && (
        <p className="muted prep-feature">
          Feature <span className="key">{item.feature.key}</span> {item.feature.title}
        </p>
      )}
      <dl className="prep-facts">
        <Fact label="Acceptance criteria" testId="prep-acceptance-criteria">
          {item.acceptanceCriteria.length === 0 ? (
            <span className="muted">None yet.</span>
          ) : (
            <ul className="plain-list">
              {item.acceptanceCriteria.map((criterion) => (
                <li key={criterion}>{criterion}</li>
              ))}
            </ul>
          )}
        </Fact>
        {item.upstream.length > 0 && (
          <Fact label="Waits on" testId="prep-upstream">
            <Dependencies dependencies={item.upstream} />
          </Fact>
        )}
        {item.downstream.length > 0 && (
          <Fact label="Waited on by" testId="prep-downstream">
            <Dependencies dependencies={item.downstream} />
          </Fact>
        )}
        {item.components.length > 0 && (
          <Fact label="Components" testId="prep-components">
            <ul className="plain-list">
              {item.components.map(({ component, owningTeam }) => (
                <li key={component.id}>
                  {component.name}
                  {owningTeam && <span className="muted"> (owned by {owningTeam.key})</span>}
                </li>
              ))}
            </ul>
          </Fact>
        )}
        {item.questions.length > 0 && (
          <Fact label="Open questions" testId="prep-questions">
            <ul className="plain-list">
              {item.questions.map((question) => (
                <li key={question.id} data-testid="prep-question">
                  {question.note}
                </li>
              ))}
            </ul>
          </Fact>
        )}
        {item.followUps.length > 0 && (
          <Fact label="Follow-ups" testId="prep-follow-ups">
            <ul className="plain-list">
              {item.followUps.map((followUp) => (
                <li key={followUp.id}>
                  <span className="badge warn-badge">{humanize(followUp.kind)}</span>{" "}
                  {followUp.note}
                </li>
              ))}
            </ul>
          </Fact>
        )}
        <Fact label="Definition of Ready" testId="prep-readiness">
          {item.failures.length === 0 ? (
            <span className="badge ready-badge">Ready</span>
          ) : (
            <ul className="plain-list">
              {item.failures.map((failure) => (
                <li key={failure.rule}>{failure.message}</li>
              ))}
            </ul>
          )}
        </Fact>
      </dl>
    </article>
  );
}

function Fact({
  label,
  testId,
  children,
}: {
  readonly label: string;
  readonly testId: string;
  readonly children: ReactNode;
}) {
  return (
    <div className="prep-fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Dependencies({ dependencies }: { readonly dependencies: readonly PrepDependency[] }) {
  return (
    <ul className="plain-list">
      {dependencies.map((dependency) => (
        <li key={dependency.dependency.id} data-testid="prep-dependency">
          {dependency.health !== null && (
            <span className={`badge health-badge health-${dependency.health.toLowerCase()}`}>
              {humanize(dependency.health)}
            </span>
          )}{" "}
          <span className="key">{dependency.other.key}</span> {dependency.other.title}
          {dependency.otherTeam && <span className="muted"> ({dependency.otherTeam.key})</span>}
          <div className="muted dependency-reason">{dependency.reason}</div>
        </li>
      ))}
    </ul>
  );
}
