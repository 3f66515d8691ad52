import { isLang, locale, otherLang, preferredLang } from './i18n';

describe('web-ui i18n', () => {
  it.each([
    [['de-DE', 'en'], 'en', 'de'],
    [['en-US', 'de'], 'de', 'en'],
    [['fr-FR', 'en-GB', 'de'], 'de', 'en'],
    [['fr-FR', 'de-AT'], 'en', 'de'],
    [['fr-FR'], 'de', 'de'],
    [['fr-FR'], 'en', 'en'],
    [[], 'de', 'de'],
    [['dense'], 'en', 'en'],
  ] as const)('%j with fallback %s → %s', (languages, fallback, expected) => {
    expect(preferredLang(languages, fallback)).toBe(expected);
  });

  it('words the rest alike on every page', () => {
    expect(otherLang('de')).toBe('en');
    expect(otherLang('en')).toBe('de');
    expect(locale('de')).toBe('de-DE');
    expect(locale('en')).toBe('en-GB');
    expect(isLang('de')).toBe(true);
    expect(isLang('fr')).toBe(false);
  });
});
