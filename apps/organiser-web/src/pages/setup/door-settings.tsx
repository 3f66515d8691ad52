/** The event's gates, whether devices may hold names offline, and whether they may print. */
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../../session';
import { type DoorSettings as Settings } from '../../shared/types';
import { type Words } from './words';
import { OutcomeLine, useSubmission, splitList } from './submission';

export function DoorSettings({ t }: { t: Words }) {
  const { api, event } = useSession();
  const [gates, setGates] = useState('');
  const [holdNames, setHoldNames] = useState(false);
  const [mayPrint, setMayPrint] = useState(false);
  const { busy, outcome, run, fail } = useSubmission(t);
  const path = `/api/events/${encodeURIComponent(event.slug)}/door-settings`;

  useEffect(() => {
    api
      .get<Settings>('checkin', path)
      .then((settings) => {
        setGates(settings.gates.join(', '));
        setHoldNames(settings.devicesHoldNames);
        setMayPrint(settings.devicesMayPrint ?? false);
      })
      .catch(fail);
  }, [path]);

  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const saved = await api.request<Settings>('checkin', 'PUT', path, {
        gates: splitList(gates),
        devicesHoldNames: holdNames,
        devicesMayPrint: mayPrint,
      });
      setGates(saved.gates.join(', '));
      setHoldNames(saved.devicesHoldNames);
      setMayPrint(saved.devicesMayPrint ?? false);
      return t.saved;
    });
  };

  return (
    <section class="card setup-section" aria-labelledby="setup-doors">
      <h2 id="setup-doors">{t.doors.title}</h2>
      <p class="muted">{t.doors.intro}</p>
      <form class="setup-form" onSubmit={save}>
        <label class="field">
          <span>{t.doors.gates}</span>
          <input
            name="gates"
            value={gates}
            placeholder={t.doors.gatesHint}
            onInput={(e) => setGates((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="devices-hold-names"
            checked={holdNames}
            aria-describedby="hold-names-hint"
            onChange={(e) => setHoldNames((e.target as HTMLInputElement).checked)}
          />
          <span>{t.doors.holdNames}</span>
        </label>
        <p id="hold-names-hint" class="muted setup-hint">
          {t.doors.holdNamesHint}
        </p>
        <label class="check">
          <input
            type="checkbox"
            name="devices-may-print"
            checked={mayPrint}
            aria-describedby="may-print-hint"
            onChange={(e) => setMayPrint((e.target as HTMLInputElement).checked)}
          />
          <span>{t.doors.mayPrint}</span>
        </label>
        <p id="may-print-hint" class="muted setup-hint">
          {t.doors.mayPrintHint}
        </p>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </form>
      <OutcomeLine outcome={outcome} id="setup-doors-outcome" />
    </section>
  );
}
