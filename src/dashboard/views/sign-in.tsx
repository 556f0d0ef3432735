/** Sign in with an API key: it is checked against the API before the dashboard opens. */
import { useState } from "preact/hooks";
import { clientFor } from "../session";
import { ErrorNotice } from "../components";

export function SignIn({ onSignedIn, notice }: { onSignedIn: (key: string) => void; notice: string | null }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await clientFor(key.trim()).jobs.list({ limit: 1 });
      onSignedIn(key.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card" onSubmit={(event) => void submit(event)}>
        <h1>Sluice</h1>
        <p class="muted">
          Upload files, run a pipeline over them and watch every file go through its stages.
        </p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => {
            setKey(event.currentTarget.value);
          }}
        />
        <button type="submit" disabled={busy || key.trim() === ""}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <ErrorNotice error={error} />
        <p class="muted small">
          The key stays in this tab (sessionStorage). API reference: <a href="/docs">/docs</a>
        </p>
      </form>
    </main>
  );
}
