import { type ReactNode, useId } from "react";

interface Props {
  readonly title: ReactNode;
  /** Muted text after the title, e.g. what the figures cover. */
  readonly note?: ReactNode;
  /** Controls shown beside the title (e.g. a picker). */
  readonly tools?: ReactNode;
  readonly testId?: string;
  readonly className?: string;
  readonly children: ReactNode;
}

/** A titled panel; a region named by its heading, so it can be reached by landmark. */
export function Panel({ title, note, tools, testId, className, children }: Props) {
  const headingId = useId();
  return (
    <section
      className={className ? `panel ${className}` : "panel"}
      aria-labelledby={headingId}
      data-testid={testId}
    >
      <div className="panel-heading">
        <h3 id={headingId}>
          {title}
          {note !== undefined && (
            <>
              {" "}
              <span className="muted">{note}</span>
            </>
          )}
        </h3>
        {tools}
      </div>
      {children}
    </section>
  );
}
