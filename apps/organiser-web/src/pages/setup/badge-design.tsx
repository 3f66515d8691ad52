/** The badge design: label language, category colours, logo. */
import { useEffect, useState } from 'preact/hooks';
import { CATEGORIES } from '@einlass/contracts';
import { categoryName, formatNumber, useLang } from '../../i18n';
import { useSession } from '../../session';
import { type Words } from './words';
import { OutcomeLine, useSubmission } from './submission';

interface Branding {
  categoryColours: Record<string, string>;
  labels: 'de' | 'en' | 'de-en';
  hasLogo: boolean;
  logoType: string | null;
  logoBytes: number | null;
  /** Each category's colour when categoryColours does not set one. */
  defaultColours: Record<string, string>;
}

export function BadgeDesign({ t }: { t: Words }) {
  const { api, event } = useSession();
  const lang = useLang();
  const [branding, setBranding] = useState<Branding | null>(null);
  const [labels, setLabels] = useState<Branding['labels']>('de-en');
  const [colours, setColours] = useState<Record<string, string>>({});
  const [logoUrl, setLogoUrl] = useState<string | null>(null);
  const [logoFile, setLogoFile] = useState<File | null>(null);
  const { busy, outcome, run, fail } = useSubmission(t);
  const path = `/api/events/${encodeURIComponent(event.slug)}/branding`;

  const show = (view: Branding) => {
    setBranding(view);
    setLabels(view.labels);
    setColours({ ...view.defaultColours, ...view.categoryColours });
  };

  const loadLogo = (has: boolean) => {
    if (!has) return setLogoUrl(null);
    api
      .blob('badges', `${path}/logo`)
      .then((blob) => setLogoUrl(URL.createObjectURL(blob)))
      .catch(() => setLogoUrl(null));
  };

  useEffect(() => {
    api
      .get<Branding>('badges', path)
      .then((view) => {
        show(view);
        loadLogo(view.hasLogo);
      })
      .catch(fail);
  }, [path]);

  useEffect(() => () => void (logoUrl && URL.revokeObjectURL(logoUrl)), [logoUrl]);

  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      show(
        await api.request<Branding>('badges', 'PUT', path, {
          labels,
          categoryColours: colours,
        }),
      );
      return t.saved;
    });
  };

  const uploadLogo = () => {
    if (!logoFile) return;
    void run(async () => {
      const view = await api.request<Branding>(
        'badges',
        'PUT',
        `${path}/logo`,
        logoFile,
        logoFile.type || 'application/octet-stream',
      );
      show(view);
      loadLogo(view.hasLogo);
      return t.saved;
    });
  };

  const removeLogo = () =>
    void run(async () => {
      await api.request('badges', 'DELETE', `${path}/logo`);
      setBranding(branding && { ...branding, hasLogo: false, logoBytes: null, logoType: null });
      setLogoUrl(null);
      return t.saved;
    });

  return (
    <section class="card setup-section" aria-labelledby="setup-design">
      <h2 id="setup-design">{t.design.title}</h2>
      <p class="muted">{t.design.intro}</p>
      <form class="setup-form" onSubmit={save}>
        <label class="field">
          <span>{t.design.labels}</span>
          <select
            name="labels"
            value={labels}
            onChange={(e) => setLabels((e.target as HTMLSelectElement).value as Branding['labels'])}
          >
            {(['de', 'en', 'de-en'] as const).map((option) => (
              <option key={option} value={option}>
                {t.design.labelOptions[option]}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="setup-colours">
          <legend>{t.design.colours}</legend>
          {CATEGORIES.map((category) => (
            <label key={category} class="setup-colour">
              <input
                type="color"
                name={`colour-${category}`}
                value={colours[category] ?? '#000000'}
                onInput={(e) =>
                  setColours({ ...colours, [category]: (e.target as HTMLInputElement).value })
                }
              />
              <span>{categoryName(lang, category)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </form>
      <div class="setup-logo">
        <h3>{t.design.logo}</h3>
        <p class="muted">{t.design.logoHint}</p>
        {branding?.hasLogo && logoUrl ? (
          <img class="setup-logo-preview" src={logoUrl} alt={t.design.logoAlt} />
        ) : null}
        <p>
          {branding?.hasLogo
            ? t.design.logoStored(
                formatNumber(lang, Math.round((branding.logoBytes ?? 0) / 102.4) / 10),
                branding.logoType === 'image/png' ? 'PNG' : 'JPEG',
              )
            : t.design.logoNone}
        </p>
        <div class="setup-logo-actions">
          <label class="field">
            <span class="visually-hidden">{t.design.logo}</span>
            <input
              type="file"
              name="logo"
              accept="image/png,image/jpeg"
              onChange={(e) => setLogoFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
          <button
            type="button"
            class="button"
            disabled={busy || !logoFile}
            onClick={() => void uploadLogo()}
          >
            {t.design.uploadLogo}
          </button>
          {branding?.hasLogo && (
            <button
              type="button"
              class="button danger"
              disabled={busy}
              onClick={() => void removeLogo()}
            >
              {t.design.removeLogo}
            </button>
          )}
        </div>
      </div>
      <OutcomeLine outcome={outcome} id="setup-design-outcome" />
    </section>
  );
}
