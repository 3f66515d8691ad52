/** Door tokens for the stewards' phones and scanners: made here (shown once), listed, revoked. */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, useLang } from '../../i18n';
import { useSession } from '../../session';
import { type Words } from './words';
import { OutcomeLine, useSubmission, splitList } from './submission';

/**
 * Door tokens made here stop working one day after the event's end (API.md, Access); for an event
 * already over (a rehearsal with old data), one day from now.
 */
export function doorTokenExpiry(eventEndsAt: string, now = Date.now()): string {
  const day = 24 * 60 * 60 * 1000;
  return new Date(Math.max(Date.parse(eventEndsAt), now) + day).toISOString();
}

interface TokenView {
  id: string;
  role: 'organiser' | 'door';
  label: string;
  gates: string[];
  events: string[];
  createdAt: string;
}

export function DoorTokens({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [label, setLabel] = useState('');
  const [gates, setGates] = useState('');
  const [created, setCreated] = useState<{ label: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const { busy, outcome, run, fail } = useSubmission(t);

  const load = () =>
    api
      .get<TokenView[]>('registration', '/api/tokens')
      .then((all) =>
        setTokens(
          all.filter(
            (token) =>
              token.role === 'door' &&
              (token.events.length === 0 || token.events.includes(event.slug)),
          ),
        ),
      )
      .catch(fail);
  useEffect(() => {
    void load();
  }, [event.slug]);

  const create = (e: Event) => {
    e.preventDefault();
    setCopied(false);
    void run(async () => {
      const answer = await api.request<{ token: string; label: string }>(
        'registration',
        'POST',
        '/api/tokens',
        {
          role: 'door',
          label: label.trim(),
          gates: splitList(gates),
          events: [event.slug],
          // A steward's device needs no access after the event: the day after its end.
          expiresAt: doorTokenExpiry(event.endsAt),
        },
      );
      setCreated({ label: answer.label, token: answer.token });
      setLabel('');
      setGates('');
      await load();
      return undefined;
    });
  };

  const revoke = (token: TokenView) => {
    if (!window.confirm(t.tokens.confirmRevoke(token.label))) return;
    void run(async () => {
      await api.request('registration', 'DELETE', `/api/tokens/${token.id}`);
      await load();
      return t.tokens.revoked(token.label);
    });
  };

  const scannerUrl = `${location.origin}/scan`;
  return (
    <section class="card setup-section" aria-labelledby="setup-tokens">
      <h2 id="setup-tokens">{t.tokens.title}</h2>
      <p class="muted">{t.tokens.intro}</p>
      <form class="setup-form" onSubmit={create}>
        <label class="field">
          <span>{t.tokens.label}</span>
          <input
            name="token-label"
            value={label}
            required
            maxLength={100}
            placeholder={t.tokens.labelHint}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          <span>{t.tokens.gates}</span>
          <input
            name="token-gates"
            value={gates}
            placeholder={t.tokens.gatesHint}
            onInput={(e) => setGates((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.tokens.creating : t.tokens.create}
        </button>
      </form>
      {created && (
        <div class="setup-secret" role="status" aria-labelledby="setup-secret-title">
          <h3 id="setup-secret-title">
            {t.tokens.createdTitle}: {created.label}
          </h3>
          <p>
            {t.tokens.createdIntro} <strong>{event.slug}</strong>
          </p>
          <div class="setup-secret-row">
            <code data-testid="new-door-token">{created.token}</code>
            <button
              type="button"
              class="button"
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(created.token)
                  .then(() => setCopied(true))
                  .catch(() => undefined);
              }}
            >
              {copied ? t.tokens.copied : t.tokens.copy}
            </button>
            <a class="button" href={scannerUrl} target="_blank" rel="noopener">
              {t.tokens.openScanner}
            </a>
          </div>
        </div>
      )}
      <OutcomeLine outcome={outcome} id="setup-tokens-outcome" />
      {tokens && tokens.length === 0 && <p class="muted">{t.tokens.none}</p>}
      {tokens && tokens.length > 0 && (
        <table class="data">
          <caption class="visually-hidden">{t.tokens.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.tokens.colLabel}</th>
              <th scope="col">{t.tokens.colGates}</th>
              <th scope="col">{t.tokens.colCreated}</th>
              <th scope="col">
                <span class="visually-hidden">{t.tokens.revoke}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.label}</td>
                <td>{token.gates.length ? token.gates.join(', ') : t.tokens.allGates}</td>
                <td>{formatDateTime(lang, token.createdAt)}</td>
                <td class="number">
                  <button
                    type="button"
                    class="button danger"
                    aria-label={`${t.tokens.revoke}: ${token.label}`}
                    onClick={() => void revoke(token)}
                  >
                    {t.tokens.revoke}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
