export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="loading" role="status" data-testid="loading">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ message }: { readonly message: string }) {
  return (
    <div className="error" role="alert" data-testid="error">
      <strong>Could not load the data.</strong> {message}
    </div>
  );
}
