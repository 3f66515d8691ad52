import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useWords } from './i18n';

const WORDS = {
  de: {
    title: 'Anmelden',
    area: 'Organisation',
    intro:
      'Melden Sie sich mit Ihrem Organisations-Token an. Es bleibt nur in diesem Tab gespeichert.',
    token: 'Organisations-Token',
    submit: 'Anmelden',
    checking: 'Wird geprüft …',
    rejected:
      'Dieses Token wird nicht angenommen. Prüfen Sie es oder fragen Sie die Administration.',
    door: 'Das ist ein Einlass-Token. Diese Seiten sind dem Organisationsteam vorbehalten; der Scanner ist unter /scan.',
    network: 'Die Dienste sind nicht erreichbar. Prüfen Sie die Verbindung.',
    empty: 'Bitte ein Token eingeben.',
  },
  en: {
    title: 'Sign in',
    area: 'Organisers',
    intro: 'Sign in with your organiser token. It is kept in this browser tab only.',
    token: 'Organiser token',
    submit: 'Sign in',
    checking: 'Checking…',
    rejected: 'This token is not accepted. Check it or ask your administrator.',
    door: 'This is a door token. These pages are for the organising team; the scanner is at /scan.',
    network: 'The services cannot be reached. Check the connection.',
    empty: 'Please enter a token.',
  },
};

export function SignIn(props: {
  notice?: string;
  onSignIn: (token: string) => Promise<'ok' | 'rejected' | 'door'>;
  langToggle: JSX.Element;
}) {
  const t = useWords(WORDS);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(props.notice);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) return setError(t.empty);
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await props.onSignIn(value);
      if (outcome === 'rejected') setError(t.rejected);
      if (outcome === 'door') setError(t.door);
    } catch {
      setError(t.network);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <div class="signin-lang">{props.langToggle}</div>
      <form
        class="card signin-card"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="signin-title"
      >
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            E
          </span>
          <span>
            <strong>Einlass</strong> <span class="brand-area">{t.area}</span>
          </span>
        </div>
        <h1 id="signin-title">{t.title}</h1>
        <p class="muted">{t.intro}</p>
        <label class="field">
          <span>{t.token}</span>
          <input
            name="token"
            type="password"
            autoComplete="current-password"
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'signin-error' : undefined}
            required
          />
        </label>
        {error && (
          <p id="signin-error" class="alert error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button primary wide" disabled={busy}>
          {busy ? t.checking : t.submit}
        </button>
      </form>
    </main>
  );
}
