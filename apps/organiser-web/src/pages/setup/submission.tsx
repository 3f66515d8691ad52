/** What every set-up card's buttons share: busy while a request runs, and a line saying what came of it. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { type Words } from './words';

/** A message after an action: green for done, red for refused. */
export type Outcome = { tone: 'ok' | 'error'; text: string } | null;

export function OutcomeLine(props: { outcome: Outcome; id: string }) {
  if (!props.outcome) return null;
  return (
    <p
      id={props.id}
      class={`alert ${props.outcome.tone}`}
      role={props.outcome.tone === 'error' ? 'alert' : 'status'}
    >
      {props.outcome.text}
    </p>
  );
}

export function failure(error: unknown, t: Words): Outcome {
  return { tone: 'error', text: error instanceof ApiError ? error.message : t.network };
}

/**
 * What every card's buttons share: busy while a request runs (the buttons wait), and a line
 * saying what came of it. `run` shows the text `work` returns as success, an error as failure.
 */
export function useSubmission(t: Words) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = async (work: () => Promise<string | undefined>) => {
    setBusy(true);
    setOutcome(null);
    try {
      const done = await work();
      if (done) setOutcome({ tone: 'ok', text: done });
    } catch (error) {
      setOutcome(failure(error, t));
    } finally {
      setBusy(false);
    }
  };
  const fail = (error: unknown) => setOutcome(failure(error, t));
  return { busy, outcome, setOutcome, run, fail };
}

export const splitList = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  ),
];
