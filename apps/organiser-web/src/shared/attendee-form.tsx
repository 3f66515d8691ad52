/**
 * A person's fields as a form: adding someone (POST …/attendees) and changing them (PATCH). The
 * server's validation messages appear next to the field they name.
 */
import { useState } from 'preact/hooks';
import { categoryName, useLang, useWords } from '../i18n';
import { fieldErrors, type FieldErrors } from './field-errors';
import {
  CATEGORIES,
  type Attendee,
  type Category,
  type ProgrammeSession,
  shortTitle,
} from './types';
import { errorText, Notice } from './ui';

export const FIELDS = [
  'title',
  'firstName',
  'lastName',
  'organisation',
  'email',
  'category',
  'externalId',
] as const;
type Field = (typeof FIELDS)[number];
export type FormValues = Record<Field, string>;

const OPTIONAL: Field[] = ['title', 'organisation', 'email', 'externalId'];

const WORDS = {
  de: {
    labels: {
      title: 'Titel',
      firstName: 'Vorname',
      lastName: 'Nachname',
      organisation: 'Organisation',
      email: 'E-Mail',
      category: 'Kategorie',
      externalId: 'Buchungsnummer',
    } satisfies Record<Field, string>,
    optional: 'optional',
    titleHint: 'z. B. Dr.',
    printed: 'Steht auf dem Badge',
    workshops: 'Workshops',
    workshopsHint: 'Ist ein Workshop voll, kommt die Person auf die Warteliste.',
    full: (waiting: number) => `voll · ${waiting} warten`,
    free: (free: number) => `${free} frei`,
    failed: 'Nicht gespeichert',
    network: 'Der Anmeldedienst ist nicht erreichbar.',
    required: 'Bitte ausfüllen.',
    /** The server's validation words, said in German where we know them. */
    server: [
      [/must not be empty/, 'Bitte ausfüllen.'],
      [/must be an email address/, 'Bitte eine gültige E-Mail-Adresse eingeben.'],
      [/^externalId must be 1 to 64/, '1 bis 64 Zeichen, ohne Leerzeichen.'],
      [/shorter than or equal to (\d+) characters/, 'Höchstens $1 Zeichen.'],
      [/^category must be one of/, 'Bitte eine Kategorie aus der Liste wählen.'],
    ] as [RegExp, string][],
  },
  en: {
    labels: {
      title: 'Title',
      firstName: 'First name',
      lastName: 'Last name',
      organisation: 'Organisation',
      email: 'Email',
      category: 'Category',
      externalId: 'Booking number',
    } satisfies Record<Field, string>,
    optional: 'optional',
    titleHint: 'e.g. Dr.',
    printed: 'Printed on the badge',
    workshops: 'Workshops',
    workshopsHint: 'When a workshop is full, the person joins its waiting list.',
    full: (waiting: number) => `full · ${waiting} waiting`,
    free: (free: number) => `${free} free`,
    failed: 'Not saved',
    network: 'The registration service cannot be reached.',
    required: 'Please fill this in.',
    server: [
      [/must not be empty/, 'Please fill this in.'],
      [/must be an email address/, 'Please enter a valid email address.'],
      [/^externalId must be 1 to 64/, '1 to 64 characters, no spaces.'],
      [/shorter than or equal to (\d+) characters/, 'At most $1 characters.'],
      [/^category must be one of/, 'Please choose a category from the list.'],
    ] as [RegExp, string][],
  },
};

export const valuesOf = (a?: Attendee): FormValues => ({
  title: a?.title ?? '',
  firstName: a?.firstName ?? '',
  lastName: a?.lastName ?? '',
  organisation: a?.organisation ?? '',
  email: a?.email ?? '',
  category: a?.category ?? 'attendee',
  externalId: a?.externalId ?? '',
});

/** The fields that differ from `before` (all filled ones when adding), empty optional ones as null. */
export function changes(values: FormValues, before?: FormValues): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  for (const field of FIELDS) {
    const value = values[field].trim();
    if (before && value === before[field].trim()) continue;
    if (!before && value === '') continue;
    body[field] = value === '' && OPTIONAL.includes(field) ? null : value;
  }
  return body;
}

export function AttendeeForm(props: {
  idPrefix: string;
  initial: FormValues;
  /** Workshops to offer (adding only). */
  workshops?: ProgrammeSession[];
  disabled?: boolean;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (values: FormValues, sessions: string[]) => Promise<void>;
  onCancel?: () => void;
  cancelLabel?: string;
  /** Extra words under the buttons (e.g. what saving does to the badge). */
  note?: string;
  /** No booking number field (the desk: walk-ins and substitutes have none). */
  withoutExternalId?: boolean;
}) {
  const t = useWords(WORDS);
  const lang = useLang();
  const [values, setValues] = useState<FormValues>(props.initial);
  const [sessions, setSessions] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors | null>(null);
  const id = (field: string) => `${props.idPrefix}-${field}`;

  const set = (field: Field) => (e: Event) =>
    setValues({ ...values, [field]: (e.target as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    for (const field of ['firstName', 'lastName'] as const) {
      if (!values[field].trim()) missing[field] = t.required;
    }
    if (Object.keys(missing).length) {
      setErrors({ fields: missing, general: [] });
      document.getElementById(id(Object.keys(missing)[0]))?.focus();
      return;
    }
    setBusy(true);
    setErrors(null);
    try {
      await props.onSubmit(values, sessions);
    } catch (error) {
      const mapped = fieldErrors(error, [...FIELDS, 'sessions']) ?? {
        fields: {},
        general: [errorText(error, t.network)],
      };
      for (const [name, message] of Object.entries(mapped.fields)) {
        const known = t.server.find(([pattern]) => pattern.test(message));
        if (known) mapped.fields[name] = known[1].replace('$1', known[0].exec(message)?.[1] ?? '');
      }
      setErrors(mapped);
      const first = FIELDS.find((field) => mapped.fields[field]);
      if (first) document.getElementById(id(first))?.focus();
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: Field,
    type = 'text',
    extra: { autoComplete?: string; hint?: string; placeholder?: string } = {},
  ) => {
    const error = errors?.fields[name];
    const describedBy = [error ? id(`${name}-error`) : '', extra.hint ? id(`${name}-hint`) : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div class={`field org-field org-field-${name}`}>
        <label for={id(name)}>
          {t.labels[name]}
          {OPTIONAL.includes(name) && <span class="org-optional"> ({t.optional})</span>}
        </label>
        <input
          id={id(name)}
          name={name}
          type={type}
          value={values[name]}
          onInput={set(name)}
          autoComplete={extra.autoComplete ?? 'off'}
          placeholder={extra.placeholder}
          disabled={props.disabled}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
          required={name === 'firstName' || name === 'lastName'}
        />
        {extra.hint && (
          <span id={id(`${name}-hint`)} class="org-hint">
            {extra.hint}
          </span>
        )}
        {error && (
          <span id={id(`${name}-error`)} class="org-field-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  const categoryError = errors?.fields.category;
  return (
    <form class="org-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      {errors && errors.general.length > 0 && (
        <Notice tone="error" focus>
          <strong>{t.failed}.</strong> {errors.general.join(' ')}
        </Notice>
      )}
      <div class="org-form-grid">
        {field('title', 'text', { placeholder: t.titleHint })}
        {field('firstName', 'text', { autoComplete: 'off' })}
        {field('lastName')}
        {field('organisation')}
        {field('email', 'email')}
        <div class="field org-field org-field-category">
          <label for={id('category')}>{t.labels.category}</label>
          <select
            id={id('category')}
            name="category"
            value={values.category}
            onChange={set('category')}
            disabled={props.disabled}
            aria-invalid={categoryError ? 'true' : undefined}
            aria-describedby={categoryError ? id('category-error') : undefined}
          >
            {CATEGORIES.map((c: Category) => (
              <option key={c} value={c}>
                {categoryName(lang, c)}
              </option>
            ))}
          </select>
          {categoryError && (
            <span id={id('category-error')} class="org-field-error">
              {categoryError}
            </span>
          )}
        </div>
        {!props.withoutExternalId && field('externalId')}
      </div>
      {props.workshops && props.workshops.length > 0 && (
        <fieldset class="org-fieldset">
          <legend>
            {t.workshops} <span class="org-optional">({t.optional})</span>
          </legend>
          <p class="org-hint">{t.workshopsHint}</p>
          <div class="org-checks">
            {props.workshops.map((w) => {
              const free = Math.max(0, w.capacity - w.signedUp);
              return (
                <label key={w.code} class="org-check">
                  <input
                    type="checkbox"
                    name="sessions"
                    value={w.code}
                    checked={sessions.includes(w.code)}
                    onChange={(e) =>
                      setSessions(
                        (e.target as HTMLInputElement).checked
                          ? [...sessions, w.code]
                          : sessions.filter((code) => code !== w.code),
                      )
                    }
                  />
                  <span>
                    <strong>{w.code}</strong> {shortTitle(w.title)}
                    <span class="org-check-note">
                      {free > 0 ? t.free(free) : t.full(w.waiting)}
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
          {errors?.fields.sessions && <p class="org-field-error">{errors.fields.sessions}</p>}
        </fieldset>
      )}
      <div class="org-actions">
        <button type="submit" class="button primary" disabled={busy || props.disabled}>
          {busy ? props.busyLabel : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="button" onClick={props.onCancel}>
            {props.cancelLabel}
          </button>
        )}
        {props.note && <span class="org-hint">{props.note}</span>}
      </div>
    </form>
  );
}
