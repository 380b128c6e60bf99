import { type FormEvent, useState } from "react";
import { AuthError, type Session, signIn } from "../auth";

interface Props {
  /** Why the form is shown, e.g. the session ended; replaced by the next sign-in's outcome. */
  readonly notice: string | null;
  readonly onSignedIn: (session: Session) => void;
}

export function SignInForm({ notice, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(notice);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const session = await signIn(email.trim(), password);
      onSignedIn(session);
    } catch (caught) {
      setError(caught instanceof AuthError ? caught.message : String(caught));
      setPassword("");
      setPending(false);
    }
  }

  return (
    <div className="sign-in">
      <form
        className="sign-in-card panel"
        data-testid="sign-in-form"
        onSubmit={(event) => void submit(event)}
        aria-busy={pending}
      >
        <h2>Sign in</h2>
        <p className="muted sign-in-lead">
          Use your Trainyard account to see the Agile Release Trains you have a role in.
        </p>
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            data-testid="sign-in-email"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="sign-in-password"
          />
        </label>
        <div
          className="sign-in-error"
          role="alert"
          aria-live="assertive"
          data-testid="sign-in-error"
        >
          {error}
        </div>
        <button
          type="submit"
          className="button primary"
          disabled={pending}
          data-testid="sign-in-submit"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
