"use client";

import { Component, useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type ReactNode } from "react";
import { Alert, Button, Spinner, createApi, type RemoteEntry, type Session } from "@airline/ui";
import { parseHash, visibleRemotes } from "./routing";
import { loadScreen } from "./federation";
import { SignIn, SignUp } from "./Account";
import { refreshSession } from "./session";

/** The shell: sign-in and sign-up, navigation by role, and the remotes loaded at run time from
 * remotes.json. The access token lives in memory only (an XSS cannot read it from storage); the
 * session survives a reload through the HttpOnly refresh cookie that sign-in set: on load the
 * shell asks /auth/refresh for a new access token, and does again when a call's token expired. */
export function Shell() {
  const [session, setSessionState] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [remotes, setRemotes] = useState<RemoteEntry[] | null>(null);
  const [remotesError, setRemotesError] = useState<string | null>(null);
  const [hash, setHash] = useState("");
  const token = useRef<string | null>(null);
  const returnTo = useRef<string | null>(null);
  const setSession = useCallback((s: Session | null) => { token.current = s?.token ?? null; setSessionState(s); }, []);
  const authApi = useMemo(() => createApi(), []);
  const navigate = useCallback((route: string) => { window.location.hash = `#/${route}`; }, []);
  // a call whose token expired: refresh once (shared by every call that failed together), else
  // sign-in, and back to the same screen after
  const onUnauthorized = useCallback(async () => {
    try {
      const t = await refreshSession(authApi);
      setSession({ token: t.access_token, user: t.user });
      return t.access_token;
    } catch {
      setSession(null);
      returnTo.current = window.location.hash.replace(/^#\/?/, "");
      navigate("signin");
      return null;
    }
  }, [authApi, navigate, setSession]);
  // a new client per session, so that remotes see a sign-in or sign-out as a change of `api`
  const api = useMemo(() => createApi({ getToken: () => (session ? token.current : null), onUnauthorized }), [session, onUnauthorized]);
  const signedIn = useCallback((s: Session) => {
    setSession(s);
    const back = returnTo.current;
    returnTo.current = null;
    navigate(back && !/^sign(in|up)/.test(back) ? back : "");
  }, [navigate, setSession]);
  const signOut = useCallback(async () => {
    try { await authApi.logout(); } catch { /* the cookie is cleared on the next sign-in anyway */ }
    setSession(null);
    navigate("");
  }, [authApi, navigate, setSession]);

  useEffect(() => {
    let live = true;
    refreshSession(authApi)
      .then((t) => { if (live) setSession({ token: t.access_token, user: t.user }); })
      .catch(() => { /* no session: signed out */ })
      .finally(() => { if (live) setRestoring(false); });
    return () => { live = false; };
  }, [authApi, setSession]);

  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    onHash();
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    fetch("/remotes.json", { cache: "no-store" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`remotes.json: ${r.status}`))))
      .then((j: { remotes: RemoteEntry[] }) => setRemotes(j.remotes))
      .catch((e: Error) => setRemotesError(e.message));
  }, []);

  const { path, rest } = parseHash(hash);
  const nav = visibleRemotes(remotes ?? [], session?.user.role ?? null);
  const active = path === "signin" || path === "signup" || restoring ? null : (remotes ?? []).find((r) => r.path === path) ?? null;

  if (active?.fullscreen) {
    // a hall display has no chrome; the way back appears only to keyboard users
    return (
      <>
        <style>{shellCss}</style>
        <a className="sh-skip sh-exit" href="#/">Leave full screen</a>
        <RemoteView key={active.name} remotes={remotes!} entry={active} props={{ api, session, route: rest, navigate }} />
      </>
    );
  }
  return (
    <div className="sh">
      <style>{shellCss}</style>
      <a className="sh-skip" href="#main">Skip to content</a>
      <header className="sh-bar">
        <a className="sh-brand" href="#/">
          <span aria-hidden="true" className="sh-logo">✈</span> Seletar Air
        </a>
        <nav aria-label="main" className="sh-nav">
          {nav.map((r) => (
            <a key={r.name} href={`#/${r.path}`} aria-current={active?.name === r.name ? "page" : undefined}>{r.title}</a>
          ))}
        </nav>
        <div className="sh-user">
          {restoring ? null : session ? (
            <>
              <span className="sh-who" aria-label="signed in as">{session.user.full_name} <small>({session.user.role})</small></span>
              <Button variant="ghost" onClick={signOut}>Sign out</Button>
            </>
          ) : (
            <>
              <a className="ui-btn ui-btn--ghost" href="#/signup">Create account</a>
              <a className="ui-btn ui-btn--secondary" href="#/signin">Sign in</a>
            </>
          )}
        </div>
      </header>
      <main id="main" className="sh-main">
        {remotesError ? <Alert kind="error">The screens could not be listed ({remotesError}). Please reload in a moment.</Alert> : null}
        {restoring ? (
          <div className="sh-loading"><Spinner label="restoring your session" /> Loading…</div>
        ) : path === "signin" ? (
          <SignIn api={api} onSignedIn={signedIn} />
        ) : path === "signup" ? (
          <SignUp api={api} onSignedIn={signedIn} />
        ) : active ? (
          <RemoteView key={active.name} remotes={remotes!} entry={active} props={{ api, session, route: rest, navigate }} />
        ) : remotes === null && !remotesError ? (
          <Spinner label="loading screens" />
        ) : (
          <Home remotes={nav} session={session} />
        )}
      </main>
      <footer className="sh-foot">Seletar Air · times are local to each airport · prices include taxes</footer>
    </div>
  );
}

function Home({ remotes, session }: { remotes: RemoteEntry[]; session: Session | null }) {
  return (
    <div className="ui-stack">
      <section className="sh-hero">
        <h1>{session ? `Welcome back, ${session.user.full_name.split(" ")[0]}` : "Where to next?"}</h1>
        <p>Singapore Seletar to Alor Setar, Bangkok and Jakarta, every day.</p>
      </section>
      <div className="sh-tiles">
        {remotes.map((r) => (
          <a key={r.name} className="sh-tile ui-card" href={`#/${r.path}`}>
            <div><h2>{r.title}</h2>{r.description ? <p>{r.description}</p> : null}</div>
            <span aria-hidden="true" className="sh-arrow">→</span>
          </a>
        ))}
      </div>
    </div>
  );
}

/** Loads one remote's screen; a remote that is down shows a calm message, never a blank page. */
function RemoteView({ remotes, entry, props }: { remotes: RemoteEntry[]; entry: RemoteEntry; props: Record<string, unknown> }) {
  const [Screen, setScreen] = useState<ComponentType<any> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    loadScreen(remotes, entry.name)
      .then((C) => live && setScreen(() => C))
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [remotes, entry.name, attempt]);
  const down = (
    <Alert kind="warning">
      <strong>{entry.title} is unavailable right now.</strong> The rest of the site still works; please try again in a moment.{" "}
      <Button variant="secondary" onClick={() => { setScreen(null); setAttempt((a) => a + 1); }}>Try again</Button>
    </Alert>
  );
  if (error) return <div data-remote-error={entry.name}>{down}</div>;
  if (!Screen) return <div className="sh-loading"><Spinner label={`loading ${entry.title}`} /> Loading {entry.title}…</div>;
  return <Boundary fallback={down}><Screen {...props} /></Boundary>;
}

class Boundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() { return { failed: true }; }
  componentDidCatch(error: unknown) { console.error("remote screen failed", error); }
  render() { return this.state.failed ? this.props.fallback : this.props.children; }
}

const shellCss = `
.sh{min-height:100vh;display:flex;flex-direction:column}
.sh-skip{position:absolute;left:-999px;top:0;background:#fff;padding:8px;z-index:100}
.sh-skip:focus{left:8px}
.sh-exit{z-index:1000}
.sh-bar{display:flex;align-items:center;gap:var(--s5);padding:var(--s3) var(--s5);background:var(--c-brand);color:#fff;flex-wrap:wrap}
.sh-brand{color:#fff;text-decoration:none;font-weight:800;font-size:1.2rem;letter-spacing:.01em;display:flex;gap:8px;align-items:center}
.sh-logo{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:50%;background:var(--c-accent);color:var(--c-brand-strong)}
.sh-nav{display:flex;gap:var(--s2);flex:1;flex-wrap:wrap}
.sh-nav a{color:#dbe8f5;text-decoration:none;padding:8px 12px;border-radius:var(--r-md);font-weight:600}
.sh-nav a:hover,.sh-nav a[aria-current="page"]{background:rgba(255,255,255,.14);color:#fff}
.sh-user{display:flex;align-items:center;gap:var(--s2)}
.sh-user .ui-btn--ghost{color:#fff}
.sh-user .ui-btn--secondary,.sh-user a.ui-btn--ghost{text-decoration:none;display:inline-flex;align-items:center}
.sh-who{font-size:.9rem}
.sh-main{flex:1;width:100%;max-width:1120px;margin:0 auto;padding:var(--s5)}
.sh-hero{padding:var(--s6) var(--s5);margin-top:var(--s3);border-radius:var(--r-lg);background:linear-gradient(120deg,var(--c-brand-strong),var(--c-brand) 60%,#2a78b8);color:#fff}
.sh-hero p{color:#dbe8f5!important}
.sh-hero h1{font-size:2.2rem}
.sh-hero p{color:var(--c-ink-soft);font-size:1.1rem}
.sh-tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:var(--s4)}
.sh-tile{display:flex;justify-content:space-between;align-items:center;text-decoration:none;color:var(--c-ink)}
.sh-tile h2{margin:0 0 var(--s1)}
.sh-tile p{margin:0;color:var(--c-ink-soft);font-size:.95rem}
.sh-arrow{font-size:1.4rem;color:var(--c-brand);padding-left:var(--s3)}
.sh-tile:hover{border-color:var(--c-brand)}
.sh-signin{max-width:420px;margin:var(--s6) auto}
.sh-loading{display:flex;gap:var(--s2);align-items:center;color:var(--c-muted);padding:var(--s6) 0}
.sh-foot{text-align:center;color:var(--c-muted);font-size:.85rem;padding:var(--s5)}
@media (max-width:600px){.sh-bar{padding:var(--s3)}.sh-main{padding:var(--s3)}.sh-hero h1{font-size:1.6rem}.sh-nav{order:3;flex-basis:100%}}
`;
