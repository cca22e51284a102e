// The shell: sign-in gate, navigation, and the view for the current route.
import { useEffect, useState } from "preact/hooks";
import { setUnauthorizedHandler, storedKey, storeKey } from "./api";
import { AuthContext, authState, SignIn, whoami, type Who } from "./auth";
import { Loading, ErrorBox } from "./components/common";
import { href, useRoute, type Route } from "./router";
import { Dashboard } from "./views/dashboard";
import { TaskList } from "./views/tasks";
import { TaskPage } from "./views/task";
import { RunTask } from "./views/run";
import { Jobs } from "./views/jobs";
import { JobPage } from "./views/job";
import { Executions } from "./views/executions";
import { ExecutionPage } from "./views/execution";
import { Schedules } from "./views/schedules";
import { ScheduleEdit } from "./views/schedule-edit";
import { Workers } from "./views/workers";
import { Keys } from "./views/keys";

type Session = { state: "checking" } | { state: "out"; reason?: string } | { state: "in"; who: Who };

const NAV: { id: string; label: string; admin?: boolean }[] = [
  { id: "dashboard", label: "Dashboard" },
  { id: "tasks", label: "Tasks" },
  { id: "jobs", label: "Jobs" },
  { id: "executions", label: "Executions" },
  { id: "schedules", label: "Schedules" },
  { id: "workers", label: "Workers" },
  { id: "keys", label: "API keys", admin: true },
];

function View({ route }: { route: Route }) {
  const [section = "dashboard", id, sub] = route.path;
  switch (section) {
    case "dashboard":
      return <Dashboard />;
    case "tasks":
      if (id && sub === "run") return <RunTask name={id} />;
      return id ? <TaskPage name={id} /> : <TaskList params={route.params} />;
    case "jobs":
      return id ? <JobPage id={id} /> : <Jobs params={route.params} />;
    case "executions":
      return id ? <ExecutionPage id={id} /> : <Executions params={route.params} />;
    case "schedules":
      return id ? <ScheduleEdit id={id} /> : <Schedules />;
    case "workers":
      return <Workers />;
    case "keys":
      return <Keys />;
    default:
      return <ErrorBox error={`No page here: #/${route.path.join("/")}`} />;
  }
}

export function App() {
  const [session, setSession] = useState<Session>({ state: "checking" });
  const route = useRoute();

  function signOut(reason?: string) {
    storeKey(null);
    setSession({ state: "out", reason });
  }

  useEffect(() => {
    setUnauthorizedHandler(() => signOut("The server refused your key (revoked or unknown): sign in again."));
    whoami(storedKey()).then(
      (who) => setSession({ state: "in", who }),
      () => {
        storeKey(null);
        setSession({ state: "out" });
      },
    );
  }, []);

  if (session.state === "checking") return <Loading what="Connecting" />;
  if (session.state === "out") {
    return <SignIn reason={session.reason} onSignedIn={(who) => setSession({ state: "in", who })} />;
  }
  const auth = authState(session.who, signOut);
  const section = route.path[0] || "dashboard";
  return (
    <AuthContext.Provider value={auth}>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href("dashboard")}>
          Ratchet
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => !n.admin || auth.isAdmin).map((n) => (
              <li key={n.id}>
                <a href={href(n.id)} aria-current={section === n.id ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="who-name" data-testid="who">
            {session.who.name ?? "local"} · {session.who.scope}
          </span>
          {session.who.authRequired && (
            <button type="button" onClick={() => signOut("Signed out.")}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {/* keyed by path: another task's or job's page starts with fresh state */}
        <View key={route.path.join("/")} route={route} />
      </main>
    </AuthContext.Provider>
  );
}
