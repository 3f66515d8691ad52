/**
 * The door devices on the day (GET …/devices on check-in): which are online, at which gate, how
 * many scans each still holds and whether its clock is right, refreshed every 15 seconds. On the
 * set-up page and, as a panel, on the live attendance page.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DoorDeviceView } from '@einlass/contracts';
import { formatNumber, formatTime, useLang } from '../../i18n';
import { useSession } from '../../session';
import { type Words } from './words';

/** A clock this far off makes offline scans' times wrong enough to matter. */
const CLOCK_WARNING_MS = 60_000;

export function DoorDevices({ t, live = false }: { t: Words; live?: boolean }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [devices, setDevices] = useState<DoorDeviceView[] | null | undefined>(undefined);
  const path = `/api/events/${encodeURIComponent(event.slug)}/devices`;

  useEffect(() => {
    const load = () => {
      api
        .get<DoorDeviceView[]>('checkin', path)
        .then(setDevices)
        .catch(() => setDevices(null));
    };
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [path]);

  const clock = (ms: number | null) => {
    if (ms === null) return '–';
    const seconds = Math.round(ms / 1000);
    const text = `${seconds > 0 ? '+' : ''}${formatNumber(lang, seconds)} s`;
    return Math.abs(ms) >= CLOCK_WARNING_MS ? `⚠ ${text}` : text;
  };

  return (
    <section
      class={live ? 'card panel devices' : 'card setup-section'}
      aria-labelledby={live ? 'devices-title' : 'setup-devices'}
    >
      <h2 id={live ? 'devices-title' : 'setup-devices'}>{t.devices.title}</h2>
      <p class="muted">{t.devices.intro}</p>
      {devices === null && <p role="alert">{t.network}</p>}
      {devices && devices.length === 0 && <p>{t.devices.none}</p>}
      {devices && devices.length > 0 && (
        <table class="data devices">
          <thead>
            <tr>
              <th scope="col">{t.devices.device}</th>
              <th scope="col">{t.devices.gate}</th>
              <th scope="col">{t.devices.state}</th>
              <th scope="col">{t.devices.lastSeen}</th>
              <th scope="col">{t.devices.scans}</th>
              <th scope="col">{t.devices.queued}</th>
              <th scope="col">{t.devices.clock}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.deviceId} data-device={d.deviceId} data-online={String(d.online)}>
                <th scope="row">
                  {d.deviceId}
                  {d.token && d.token !== d.deviceId ? (
                    <span class="muted"> · {d.token}</span>
                  ) : null}
                </th>
                <td>
                  {d.gate ?? '–'}
                  {d.list && d.list !== 'main' ? ` · ${d.list}` : ''}
                  {d.direction === 'out' ? ` · ${t.devices.out}` : ''}
                </td>
                <td data-cell="state">{d.online ? t.devices.online : t.devices.offline}</td>
                <td>{d.lastSeenAt ? formatTime(lang, d.lastSeenAt) : '–'}</td>
                <td>{formatNumber(lang, d.scans)}</td>
                <td data-cell="queued">
                  {d.queued === null ? t.devices.notReported : formatNumber(lang, d.queued)}
                  {d.conflicts ? ` · ${t.devices.conflicts(d.conflicts)}` : ''}
                </td>
                <td data-cell="clock">{clock(d.clockOffsetMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
