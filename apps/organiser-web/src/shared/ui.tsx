/**
 * Small pieces the attendees, imports and print-jobs pages share: a modal dialog, pills, icons,
 * a notice that takes the focus, and the text of an error.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api';

export type Tone = 'neutral' | 'brand' | 'green' | 'amber' | 'red';

export function Pill(props: { tone?: Tone; children: ComponentChildren; title?: string }) {
  const tone = props.tone ?? 'neutral';
  return (
    <span class={`org-pill org-pill-${tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** The server's message (API.md: {statusCode, error, message}) or the network's. */
export function errorText(error: unknown, network: string): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return network; // fetch failed: no connection
  return error instanceof Error ? error.message : String(error);
}

/** Moves the keyboard focus to an element when it appears (results, notices after actions). */
export function useFocusOnMount<T extends HTMLElement>(active = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (active) ref.current?.focus();
  }, [active]);
  return ref;
}

/** A message after an action; it takes the focus so keyboard and screen reader users hear it. */
export function Notice(props: {
  tone: 'ok' | 'error' | 'info' | 'warn';
  children: ComponentChildren;
  focus?: boolean;
  id?: string;
  testId?: string;
}) {
  const ref = useFocusOnMount<HTMLDivElement>(props.focus ?? false);
  return (
    <div
      ref={ref}
      id={props.id}
      data-testid={props.testId}
      class={`org-notice org-notice-${props.tone}`}
      role={props.tone === 'error' ? 'alert' : 'status'}
      tabIndex={-1}
    >
      <span class="org-notice-icon" aria-hidden="true">
        {props.tone === 'ok' ? (
          <Icon name="check" />
        ) : props.tone === 'info' ? (
          <Icon name="info" />
        ) : (
          <Icon name="alert" />
        )}
      </span>
      <div class="org-notice-body">{props.children}</div>
    </div>
  );
}

/**
 * A modal dialog on the browser's own <dialog>: it traps the focus, Escape closes it, and the
 * focus goes back to where it was when the dialog closes.
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
  id?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!props.open && dialog.open) {
      dialog.close();
      (opener.current as HTMLElement | null)?.focus?.();
    }
  }, [props.open]);
  const titleId = `${props.id ?? 'dialog'}-title`;
  return (
    <dialog
      ref={ref}
      id={props.id}
      class={`org-dialog${props.wide ? ' org-dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open && (
        <>
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
        </>
      )}
    </dialog>
  );
}

const ICONS: Record<string, JSX.Element> = {
  search: (
    <>
      <circle cx="11" cy="11" r="7" />
      <path d="m20 20-3.5-3.5" />
    </>
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  download: (
    <>
      <path d="M12 4v11" />
      <path d="m7 10 5 5 5-5" />
      <path d="M5 20h14" />
    </>
  ),
  upload: (
    <>
      <path d="M12 20V9" />
      <path d="m7 14 5-5 5 5" />
      <path d="M5 4h14" />
    </>
  ),
  printer: (
    <>
      <path d="M7 9V3h10v6" />
      <rect x="3" y="9" width="18" height="8" rx="2" />
      <path d="M7 14h10v7H7z" />
    </>
  ),
  check: <path d="m5 12 5 5 9-10" />,
  alert: (
    <>
      <path d="M12 3 2 20h20L12 3z" />
      <path d="M12 10v4M12 17h.01" />
    </>
  ),
  info: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v6M12 7h.01" />
    </>
  ),
  back: <path d="M15 5 8 12l7 7" />,
  file: (
    <>
      <path d="M6 2h8l5 5v15H6z" />
      <path d="M14 2v5h5" />
    </>
  ),
  door: (
    <>
      <path d="M5 21V4h11v17" />
      <path d="M3 21h18M13 12h.01" />
    </>
  ),
  x: <path d="M6 6l12 12M18 6 6 18" />,
};

export function Icon(props: { name: keyof typeof ICONS; size?: number }) {
  const size = props.size ?? 18;
  return (
    <svg
      class="org-icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {ICONS[props.name]}
    </svg>
  );
}
