/**
 * The Sluice dashboard: sign in with an API key, drop files, pick stages, watch the job live, open
 * the results, list past jobs and search. Preact renders it (the same small library Uppy already
 * brings); everything it does goes through the typed client over this origin's API.
 */
import { render } from "preact";
import { useMemo, useState } from "preact/hooks";
import { SessionContext, type Session } from "./context";
import { href, useRoute, type Route } from "./router";
import { clearKey, clientFor, loadKey, saveKey } from "./session";
// The stylesheets, in cascade order (esbuild joins them into app.css).
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/jobs.css";
import "./styles/results.css";
import "./styles/wide.css";
import { FileResults } from "./views/file-results";
import { JobView } from "./views/job";
import { Jobs } from "./views/jobs";
import { NewJob } from "./views/new-job";
import { Search } from "./views/search";
import { SignIn } from "./views/sign-in";

function View({ route }: { route: Route }) {
  switch (route.name) {
    case "new":
      return <NewJob />;
    case "jobs":
      return <Jobs />;
    case "job":
      return <JobView key={route.id} id={route.id} />;
    case "file":
      return <FileResults jobId={route.jobId} fileId={route.fileId} page={route.page} />;
    case "search":
      return <Search q={route.q} />;
  }
}

function App() {
  const route = useRoute();
  const [apiKey, setApiKey] = useState(loadKey);
  const [notice, setNotice] = useState<string | null>(null);
  const session = useMemo<Session | null>(() => {
    if (!apiKey) return null;
    const signOut = (reason?: string) => {
      clearKey();
      setNotice(reason ?? null);
      setApiKey(null);
    };
    return {
      apiKey,
      client: clientFor(apiKey, () => {
        signOut("The API key is no longer accepted; sign in again.");
      }),
      signOut,
    };
  }, [apiKey]);
  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(key) => {
          saveKey(key);
          setApiKey(key);
        }}
      />
    );
  }
  const current = (name: Route["name"]) => (route.name === name ? "page" : undefined);
  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <a class="brand" href={href.new()}>
          Sluice
        </a>
        <nav>
          <a href={href.new()} aria-current={current("new")}>
            New job
          </a>
          <a
            href={href.jobs()}
            aria-current={route.name === "jobs" || route.name === "job" ? "page" : undefined}
          >
            Jobs
          </a>
          <a href={href.search("")} aria-current={current("search")}>
            Search
          </a>
          <a href="/docs">API</a>
          <button
            class="link"
            onClick={() => {
              session.signOut();
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      <main class="content">
        <View route={route} />
      </main>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById("app") ?? document.body);
