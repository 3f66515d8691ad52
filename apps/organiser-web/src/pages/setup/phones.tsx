/**
 * Phones at the door: the scanner's address as a QR code to open it with, and, when this
 * installation made its own certificate authority (`npm run up -- --https`), the authority's file
 * to install on each phone first (GET /einlass-ca.crt on check-in), with a QR code pointing at it.
 */
import { toString as qrSvg } from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../../session';
import { type Words } from './words';

/** A QR code of `text` as an SVG, for a phone's camera to open. */
function QrCode({ text, label }: { text: string; label: string }) {
  const [svg, setSvg] = useState('');
  useEffect(() => {
    void qrSvg(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then(setSvg);
  }, [text]);
  return (
    <figure class="phone-qr">
      <div role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>
        <a href={text}>{text}</a>
      </figcaption>
    </figure>
  );
}

export function Phones({ t }: { t: Words }) {
  const { api } = useSession();
  const scanner = new URL('/scan', api.url('checkin', '/')).href;
  const authority = api.url('checkin', '/einlass-ca.crt');
  const [hasAuthority, setHasAuthority] = useState<boolean | null>(null);

  useEffect(() => {
    fetch(authority, { method: 'HEAD', cache: 'no-store' })
      .then((response) => setHasAuthority(response.ok))
      .catch(() => setHasAuthority(false));
  }, [authority]);

  return (
    <section class="card setup-section" aria-labelledby="setup-phones">
      <h2 id="setup-phones">{t.phones.title}</h2>
      <p class="muted">{t.phones.intro}</p>
      <div class="phone-qrs">
        {hasAuthority && (
          <div data-testid="ca-download">
            <h3>{t.phones.authorityTitle}</h3>
            <p>{t.phones.authorityHow}</p>
            <QrCode text={authority} label={t.phones.authorityTitle} />
            <a class="button" href={authority} download="einlass-ca.crt">
              {t.phones.download}
            </a>
          </div>
        )}
        <div data-testid="scanner-link">
          <h3>{t.phones.scannerTitle}</h3>
          <p>{t.phones.scannerHow}</p>
          <QrCode text={scanner} label={t.phones.scannerTitle} />
        </div>
      </div>
      {hasAuthority === false && <p class="muted">{t.phones.noAuthority}</p>}
    </section>
  );
}
