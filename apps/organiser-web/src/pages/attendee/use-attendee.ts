/**
 * Everything the attendee page shows about one person, loaded from the three services: the person
 * (registration), the badge (badges), the check-in history (check-in) and the programme with its
 * counts (registration); with the reloads the page's actions need. Answers for a person the page
 * no longer shows are dropped (useAsyncScope).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { useSession } from '../../session';
import {
  type Attendee,
  type BadgeState,
  type CheckinLogItem,
  eventPath,
  type ProgrammeSession,
} from '../../shared/types';
import { errorText } from '../../shared/ui';
import { pause, useAsyncScope } from '../../shared/use-async-scope';
import type { Words } from './words';

export function useAttendee(id: string, t: Words) {
  const { api, event } = useSession();
  const scope = useAsyncScope([id, event.slug]);
  const base = eventPath(event.slug, `/attendees/${encodeURIComponent(id)}`);
  const [attendee, setAttendee] = useState<Attendee | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [badge, setBadge] = useState<BadgeState | null>(null);
  const [history, setHistory] = useState<CheckinLogItem[] | null>(null);
  const [programme, setProgramme] = useState<ProgrammeSession[]>([]);
  const [reissuing, setReissuing] = useState(false);

  /** The badge as the badges service has it now (null when it does not answer). */
  const loadBadge = () =>
    scope.settle(api.get<BadgeState>('badges', `${base}/badge`).catch(() => null)).then((b) => {
      if (b) setBadge(b);
      return b;
    });

  const loadProgramme = () =>
    scope
      .settle(
        api
          .get<ProgrammeSession[]>('registration', eventPath(event.slug, '/sessions'))
          .catch((): ProgrammeSession[] => []),
      )
      .then(setProgramme);

  const loadHistory = () =>
    scope
      .settle(
        api
          .get<{ items: CheckinLogItem[] }>(
            'checkin',
            eventPath(event.slug, `/checkins?attendeeId=${encodeURIComponent(id)}&limit=100`),
          )
          .then((page) => page.items)
          .catch((): CheckinLogItem[] => []),
      )
      .then(setHistory);

  /** After a workshop change: the person (places, waiting lists) and the programme's counts. */
  const reloadPerson = () => {
    void scope.settle(api.get<Attendee>('registration', base)).then(setAttendee, () => undefined);
    void loadProgramme();
  };

  useEffect(() => {
    scope
      .settle(api.get<Attendee>('registration', base))
      .then(setAttendee, (e) =>
        setMissing(
          e instanceof ApiError && e.status === 404 ? t.notFound : errorText(e, t.network),
        ),
      );
    void loadBadge();
    void loadHistory();
    void loadProgramme();
  }, [scope]);

  // A badge still being issued (someone just registered or imported): ask again until it is.
  useEffect(() => {
    if (badge?.status !== 'pending' || attendee?.status === 'cancelled') return;
    const timer = setTimeout(() => void loadBadge(), 1000);
    return () => clearTimeout(timer);
  }, [badge, attendee?.status]);

  /** After a printed change: ask until the badges service has issued a version above `above`. */
  const waitForVersion = async (above: number): Promise<number | undefined> => {
    setReissuing(true);
    let issued: number | undefined;
    for (let i = 0; i < 40; i++) {
      const b = await loadBadge();
      if (b && b.version !== null && b.version > above) {
        issued = b.version;
        break;
      }
      await scope.settle(pause(500));
    }
    setReissuing(false);
    return issued;
  };

  /** After a cancellation: ask until the revocation has reached the badges service. */
  const waitForRevocation = async () => {
    for (let i = 0; i < 20; i++) {
      const b = await loadBadge();
      if (b?.status === 'revoked') break;
      await scope.settle(pause(500));
    }
  };

  return {
    base,
    attendee,
    setAttendee,
    missing,
    badge,
    setBadge,
    history,
    programme,
    reissuing,
    setReissuing,
    loadHistory,
    reloadPerson,
    waitForVersion,
    waitForRevocation,
  };
}
