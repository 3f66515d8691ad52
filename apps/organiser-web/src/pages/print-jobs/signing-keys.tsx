/**
 * Replacing a leaked signing key, on the print page: the event's keys (GET …/signing-keys), a new
 * key (POST …/rotate), retiring an old one (DELETE …/signing-keys/:keyId; its badges are refused
 * at the door from then on), and re-issuing and printing the affected badges in one click
 * (POST …/print-affected, whose print job the page then shows as its current one).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PrintAffectedAnswer, SigningKeyView } from '@einlass/contracts';
import { formatDateTime, formatNumber, useLang, useWords } from '../../i18n';
import { useSession } from '../../session';
import { eventPath } from '../../shared/types';
import { Dialog, errorText, Icon, Notice, Pill } from '../../shared/ui';

const WORDS = {
  de: {
    title: 'Signaturschlüssel',
    lead: 'Jedes Badge ist mit dem Schlüssel der Veranstaltung signiert. Ist ein Schlüssel in falsche Hände geraten: neuen Schlüssel erzeugen, den alten zurückziehen und die betroffenen Badges neu drucken.',
    key: 'Schlüssel',
    created: 'Erzeugt',
    state: 'Status',
    badges: 'Gültige Badges',
    active: 'Aktiv',
    valid: 'Gültig',
    retired: (at: string) => `Zurückgezogen ${at}`,
    rotate: 'Neuen Schlüssel erzeugen',
    rotating: 'Wird erzeugt …',
    rotated: (id: string) =>
      `Neuer Schlüssel ${id} ist aktiv. Neue Badges werden damit signiert; die alten gelten weiter, bis Sie den alten Schlüssel zurückziehen.`,
    retire: 'Zurückziehen',
    retireLabel: (id: string) => `Schlüssel ${id} zurückziehen`,
    confirmTitle: (id: string) => `Schlüssel ${id} zurückziehen?`,
    confirmText: (n: string) =>
      `${n} Badges mit diesem Schlüssel werden am Einlass sofort abgewiesen („neu gedrucktes Badge nötig“), auch auf Geräten ohne Netz nach dem nächsten Abgleich. Das lässt sich nicht rückgängig machen.`,
    keep: 'Abbrechen',
    confirm: 'Schlüssel zurückziehen',
    retiring: 'Wird zurückgezogen …',
    retiredDone: (id: string) => `Schlüssel ${id} ist zurückgezogen.`,
    affected: (n: string) =>
      `${n} gültige Badges sind mit einem zurückgezogenen Schlüssel signiert und werden abgewiesen.`,
    printAffected: 'Betroffene neu ausstellen und drucken',
    printing: 'Wird gestartet …',
    printed: (n: string) =>
      `${n} Badges neu ausgestellt; der Druckauftrag läuft (oben). Die alten Badges werden abgewiesen.`,
    failed: 'Das hat nicht geklappt:',
    network: 'Der Badge-Dienst ist nicht erreichbar.',
    none: 'Noch kein Schlüssel: der erste entsteht mit dem ersten Badge.',
  },
  en: {
    title: 'Signing keys',
    lead: 'Every badge is signed with the event’s key. If a key got into the wrong hands: make a new key, retire the old one and re-print the affected badges.',
    key: 'Key',
    created: 'Created',
    state: 'State',
    badges: 'Valid badges',
    active: 'Active',
    valid: 'Valid',
    retired: (at: string) => `Retired ${at}`,
    rotate: 'Make a new key',
    rotating: 'Making…',
    rotated: (id: string) =>
      `New key ${id} is active. New badges are signed with it; the old ones stay valid until you retire the old key.`,
    retire: 'Retire',
    retireLabel: (id: string) => `Retire key ${id}`,
    confirmTitle: (id: string) => `Retire key ${id}?`,
    confirmText: (n: string) =>
      `${n} badges signed with this key are refused at the door at once (“re-printed badge needed”), on offline devices after their next sync too. This cannot be undone.`,
    keep: 'Cancel',
    confirm: 'Retire the key',
    retiring: 'Retiring…',
    retiredDone: (id: string) => `Key ${id} is retired.`,
    affected: (n: string) => `${n} valid badges are signed with a retired key and are refused.`,
    printAffected: 'Re-issue and print the affected badges',
    printing: 'Starting…',
    printed: (n: string) =>
      `${n} badges re-issued; the print job is running (above). The old badges are refused.`,
    failed: 'That did not work:',
    network: 'The badges service cannot be reached.',
    none: 'No key yet: the first is made with the first badge.',
  },
};

export function SigningKeys(props: { onPrintJob: (id: string) => void }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api, event } = useSession();
  const [keys, setKeys] = useState<SigningKeyView[] | null>(null);
  const [busy, setBusy] = useState<'rotate' | 'retire' | 'print' | null>(null);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [retiring, setRetiring] = useState<SigningKeyView | null>(null);
  const alive = useRef(true);
  const path = (rest = '') => eventPath(event.slug, `/signing-keys${rest}`);

  const load = async () => {
    try {
      const list = await api.get<SigningKeyView[]>('badges', path());
      if (alive.current) setKeys(list);
    } catch (err) {
      if (alive.current) setNotice({ tone: 'error', text: errorText(err, t.network) });
    }
  };

  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [event.slug]);

  /** Runs an action, then shows its outcome and the keys as they are now. */
  const act = async (kind: 'rotate' | 'retire' | 'print', run: () => Promise<string>) => {
    setBusy(kind);
    setNotice(null);
    try {
      const text = await run();
      if (alive.current) setNotice({ tone: 'ok', text });
    } catch (err) {
      if (alive.current)
        setNotice({ tone: 'error', text: `${t.failed} ${errorText(err, t.network)}` });
    } finally {
      if (alive.current) setBusy(null);
      void load();
    }
  };

  const rotate = () =>
    act('rotate', async () => {
      const key = await api.request<SigningKeyView>('badges', 'POST', path('/rotate'), {});
      return t.rotated(key.keyId);
    });

  const retire = (key: SigningKeyView) =>
    act('retire', async () => {
      try {
        await api.request<SigningKeyView>('badges', 'DELETE', path(`/${key.keyId}`));
        return t.retiredDone(key.keyId);
      } finally {
        setRetiring(null);
      }
    });

  const printAffected = () =>
    act('print', async () => {
      const answer = await api.request<PrintAffectedAnswer>(
        'badges',
        'POST',
        path('/print-affected'),
        {},
      );
      props.onPrintJob(answer.printJobId);
      return t.printed(formatNumber(lang, answer.reissued));
    });

  const affected = (keys ?? [])
    .filter((key) => key.retiredAt)
    .reduce((sum, key) => sum + key.badges, 0);

  return (
    <section class="card pj-keys" aria-labelledby="pj-keys-title" id="signing-keys">
      <div class="pj-keys-head">
        <div>
          <h2 id="pj-keys-title">{t.title}</h2>
          <p class="org-hint">{t.lead}</p>
        </div>
        <button
          type="button"
          class="button"
          id="key-rotate"
          disabled={busy !== null}
          onClick={() => void rotate()}
        >
          {busy === 'rotate' ? t.rotating : t.rotate}
        </button>
      </div>
      {notice && (
        <Notice tone={notice.tone} focus id="key-notice">
          {notice.text}
        </Notice>
      )}
      {keys && keys.length === 0 && <p class="muted">{t.none}</p>}
      {keys && keys.length > 0 && (
        <div class="org-table-wrap">
          <table class="data org-table" id="signing-key-list">
            <thead>
              <tr>
                <th scope="col">{t.key}</th>
                <th scope="col">{t.created}</th>
                <th scope="col">{t.state}</th>
                <th scope="col" class="number">
                  {t.badges}
                </th>
                <th scope="col">
                  <span class="visually-hidden">{t.retire}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr
                  key={key.keyId}
                  data-key={key.keyId}
                  data-state={key.active ? 'active' : key.retiredAt ? 'retired' : 'valid'}
                >
                  <td>
                    <code>{key.keyId}</code>
                  </td>
                  <td>{formatDateTime(lang, key.createdAt)}</td>
                  <td>
                    {key.active ? (
                      <Pill tone="green">{t.active}</Pill>
                    ) : key.retiredAt ? (
                      <Pill tone="red">{t.retired(formatDateTime(lang, key.retiredAt))}</Pill>
                    ) : (
                      <Pill tone="neutral">{t.valid}</Pill>
                    )}
                  </td>
                  <td class="number">{formatNumber(lang, key.badges)}</td>
                  <td class="pj-row-action">
                    {!key.active && !key.retiredAt && (
                      <button
                        type="button"
                        class="button danger"
                        disabled={busy !== null}
                        aria-label={t.retireLabel(key.keyId)}
                        onClick={() => setRetiring(key)}
                      >
                        {t.retire}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {affected > 0 && (
        <div class="pj-keys-affected">
          <p>
            <Icon name="alert" /> {t.affected(formatNumber(lang, affected))}
          </p>
          <button
            type="button"
            class="button primary"
            id="key-print-affected"
            disabled={busy !== null}
            onClick={() => void printAffected()}
          >
            <Icon name="printer" />
            {busy === 'print' ? t.printing : t.printAffected}
          </button>
        </div>
      )}
      <Dialog
        open={retiring !== null}
        id="retire-dialog"
        title={retiring ? t.confirmTitle(retiring.keyId) : ''}
        onClose={() => setRetiring(null)}
      >
        {retiring && <p>{t.confirmText(formatNumber(lang, retiring.badges))}</p>}
        <div class="org-actions org-dialog-actions">
          <button type="button" class="button" autoFocus onClick={() => setRetiring(null)}>
            {t.keep}
          </button>
          <button
            type="button"
            class="button danger-solid"
            id="confirm-retire"
            disabled={busy !== null}
            onClick={() => retiring && void retire(retiring)}
          >
            {busy === 'retire' ? t.retiring : t.confirm}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
