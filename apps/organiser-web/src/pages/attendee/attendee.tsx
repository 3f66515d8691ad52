/**
 * One attendee: details (editable), badge status and version, workshops and waiting lists, the
 * check-in history, and the desk's actions: reprint the badge (badge.pdf), check in by hand
 * (lost badge), cancel the registration (after a confirmation).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLang, useWords } from '../../i18n';
import { href } from '../../router';
import { useSession } from '../../session';
import { AttendeeForm, changes, valuesOf } from '../../shared/attendee-form';
import { CategoryTag } from '../../shared/categories';
import { type Attendee, type BadgeState, fullName } from '../../shared/types';
import { Dialog, errorText, Icon, Notice, Pill } from '../../shared/ui';
import { BadgeCard } from './badge-card';
import { CheckinCard } from './checkin-card';
import { HistoryCard } from './history-card';
import { useAttendee } from './use-attendee';
import { WORDS } from './words';
import { WorkshopsCard } from './workshops-card';

const PRINTED = ['title', 'firstName', 'lastName', 'organisation', 'category'];

interface Flash {
  tone: 'ok' | 'error' | 'info' | 'warn';
  text: string;
  id: number;
}

export function AttendeePage(props: { id: string }) {
  const t = useWords(WORDS);
  const lang = useLang();
  const { api } = useSession();
  const person = useAttendee(props.id, t);
  const { attendee, badge, base, reissuing } = person;
  const [flash, setFlash] = useState<Flash | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reprinting, setReprinting] = useState(false);
  const [gathering, setGathering] = useState(false);
  const [certifying, setCertifying] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const say = (tone: Flash['tone'], text: string) => setFlash({ tone, text, id: Date.now() });

  // the person's name takes the focus once they are shown
  useEffect(() => {
    if (attendee) requestAnimationFrame(() => heading.current?.focus());
  }, [attendee?.id]);

  /** After a printed change: say so once the next version is issued. */
  const reissued = async (above: number) => {
    const version = await person.waitForVersion(above);
    if (version !== undefined) say('ok', `${t.saved} ${t.reissued(version)}`);
  };

  if (person.missing) {
    return (
      <div class="org-page">
        <BackLink label={t.back} />
        <Notice tone="error" focus>
          {person.missing}
        </Notice>
      </div>
    );
  }
  if (!attendee) {
    return (
      <div class="org-page" aria-busy="true">
        <BackLink label={t.back} />
        <p class="org-loading">{t.loading}</p>
      </div>
    );
  }

  const name = fullName(attendee);
  const cancelled = attendee.status === 'cancelled';

  const reprint = async () => {
    setReprinting(true);
    try {
      const file = `badge-${attendee.lastName}-${attendee.firstName}.pdf`
        .normalize('NFKD')
        .replace(/[^\w.-]+/g, '_');
      await api.download('badges', `${base}/badge.pdf`, file);
      say('ok', t.reprinted);
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setReprinting(false);
    }
  };

  /** The person's attendance certificate, issued now in the page's language (badges). */
  const certificate = async () => {
    setCertifying(true);
    try {
      const file = `${t.certificateFile}-${attendee.lastName}-${attendee.firstName}.pdf`
        .normalize('NFKD')
        .replace(/[^\w.-]+/g, '_');
      await api.download('badges', `${base}/certificate`, file, { language: lang });
      say('ok', t.certificateDone);
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setCertifying(false);
    }
  };

  /** Everything the three services hold about the person, as one JSON file (Art. 15 GDPR). */
  const downloadPersonalData = async () => {
    setGathering(true);
    try {
      await api.download('registration', `${base}/personal-data`, `personal-data-${props.id}.json`);
      say('ok', t.personalDataDone);
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setGathering(false);
    }
  };

  /** A lost badge: the next version, so the lost one is refused at the door. */
  const replaceLost = async () => {
    if (!window.confirm(t.confirmLost)) return;
    person.setReissuing(true);
    try {
      const issued = await api.request<BadgeState>('badges', 'POST', `${base}/badge/reissue`);
      person.setBadge(issued);
      if (issued.version !== null) say('ok', t.reissued(issued.version));
    } catch (e) {
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      person.setReissuing(false);
    }
  };

  const cancel = async () => {
    setCancelling(true);
    try {
      const updated = await api.request<Attendee>('registration', 'POST', `${base}/cancel`);
      person.setAttendee(updated);
      setConfirming(false);
      say('ok', t.wasCancelled(name));
      heading.current?.focus();
      // the revocation reaches the badges service through its queue
      await person.waitForRevocation();
    } catch (e) {
      setConfirming(false);
      say('error', `${t.failed} ${errorText(e, t.network)}`);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <div class="org-page attendee-page">
      <BackLink label={t.back} />
      <header class="org-head att-person-head">
        <div>
          <h1 ref={heading} tabIndex={-1} id="attendee-name">
            {name}
          </h1>
          <p class="att-facts">
            {attendee.status === 'cancelled' ? (
              <Pill tone="red">
                <span id="attendee-status" data-status={attendee.status}>
                  {t.cancelled}
                </span>
              </Pill>
            ) : (
              <Pill tone="green">
                <span id="attendee-status" data-status={attendee.status}>
                  {t.registered}
                </span>
              </Pill>
            )}
            <CategoryTag lang={lang} category={attendee.category} />
            {attendee.organisation && <span>{attendee.organisation}</span>}
            {attendee.externalId && (
              <span class="muted">
                {t.booking} {attendee.externalId}
              </span>
            )}
          </p>
        </div>
        <div class="org-actions">
          <button
            type="button"
            class="button primary"
            id="reprint"
            onClick={() => void reprint()}
            disabled={reprinting || cancelled || badge?.status !== 'issued'}
          >
            <Icon name="printer" />
            {reprinting ? t.reprinting : t.reprint}
          </button>
          <button
            type="button"
            class="button"
            id="replace-lost-badge"
            onClick={() => void replaceLost()}
            disabled={reissuing || cancelled || badge?.status !== 'issued'}
          >
            {t.lost}
          </button>
          <button
            type="button"
            class="button"
            id="download-certificate"
            onClick={() => void certificate()}
            disabled={certifying}
          >
            {certifying ? t.certificateLoading : t.certificate}
          </button>
          <button
            type="button"
            class="button"
            id="download-personal-data"
            onClick={() => void downloadPersonalData()}
            disabled={gathering}
          >
            {gathering ? t.personalDataLoading : t.personalData}
          </button>
          <button
            type="button"
            class="button danger"
            id="cancel-registration"
            disabled={cancelled}
            onClick={() => setConfirming(true)}
          >
            {t.cancel}
          </button>
        </div>
      </header>

      {flash && (
        <Notice key={flash.id} tone={flash.tone} focus id="attendee-flash">
          {flash.text}
        </Notice>
      )}

      <div class="att-detail">
        <div class="att-detail-main">
          <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">{t.details}</h2>
            {cancelled ? (
              <Notice tone="info">{t.cancelledNote}</Notice>
            ) : (
              <p class="org-hint att-section-note">{t.detailsNote}</p>
            )}
            <AttendeeForm
              key={attendee.revision}
              idPrefix="edit"
              initial={valuesOf(attendee)}
              disabled={cancelled}
              submitLabel={t.save}
              busyLabel={t.saving}
              onSubmit={async (values) => {
                const body = changes(values, valuesOf(attendee));
                if (Object.keys(body).length === 0) return say('info', t.nothingChanged);
                const versionBefore = badge?.version ?? 0;
                const updated = await api.request<Attendee>('registration', 'PATCH', base, body);
                person.setAttendee(updated);
                const printed = Object.keys(body).some((field) => PRINTED.includes(field));
                if (printed) {
                  say('ok', `${t.saved} ${t.reissuing}`);
                  void reissued(versionBefore);
                } else {
                  say('ok', t.saved);
                }
              }}
            />
          </section>

          <HistoryCard
            words={t}
            lang={lang}
            history={person.history}
            programme={person.programme}
          />
        </div>

        <div class="att-detail-side">
          <BadgeCard words={t} lang={lang} badge={badge} reissuing={reissuing} />
          <CheckinCard
            words={t}
            lang={lang}
            attendee={attendee}
            programme={person.programme}
            onDone={() => void person.loadHistory()}
          />
          <WorkshopsCard
            attendee={attendee}
            programme={person.programme}
            onChanged={person.reloadPerson}
          />
        </div>
      </div>

      <Dialog
        open={confirming}
        id="cancel-dialog"
        title={t.confirmTitle}
        onClose={() => setConfirming(false)}
      >
        <p>{t.confirmText(name)}</p>
        <div class="org-actions org-dialog-actions">
          <button type="button" class="button" autoFocus onClick={() => setConfirming(false)}>
            {t.keep}
          </button>
          <button
            type="button"
            class="button danger-solid"
            id="confirm-cancel"
            disabled={cancelling}
            onClick={() => void cancel()}
          >
            {cancelling ? t.cancelling : t.confirm}
          </button>
        </div>
      </Dialog>
    </div>
  );
}

function BackLink(props: { label: string }) {
  return (
    <a class="org-back" href={href('attendees')}>
      <Icon name="back" />
      {props.label}
    </a>
  );
}
