import { useCallback, useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';

import { ApiError } from './api';
import { useConsole } from './context';
import { localizeError } from './i18n/errors';
import type { ApiErrorBody } from './i18n/errors';

/** Turns anything a call threw into a gateway-style error body. */
export function errorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  return { statusCode: 0, code: 'INTERNAL', message: String(error) };
}

/** A failed call in the chosen language: the sentence, each field and its problems. */
export function ErrorBox({ error }: { error: ApiErrorBody | null }) {
  const { lang, t } = useConsole();
  if (!error) return null;
  const localized = localizeError(lang, error);
  return (
    <div className="alert alert-error" role="alert" data-code={error.code}>
      <strong>{localized.message}</strong>
      {localized.fields.length > 0 && (
        <ul>
          {localized.fields.map((field) => (
            <li key={field.field} data-field={field.field}>
              <span className="field-name">{field.label}</span>: {field.problems.join(' ')}
            </li>
          ))}
        </ul>
      )}
      {localized.original && (
        <details>
          <summary>{t('common.details')}</summary>
          <code>
            {error.code}: {localized.original}
          </code>
        </details>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-ok" role="status">
      {children}
    </div>
  );
}

/** A labelled input with its help text tied to it (aria-describedby). */
export function Field({
  label,
  help,
  required,
  children,
}: {
  label: string;
  help?: ReactNode;
  required?: boolean;
  children: (props: { id: string; 'aria-describedby'?: string; required?: boolean }) => ReactNode;
}) {
  const { t } = useConsole();
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        ) : (
          <span className="opt"> ({t('common.optional')})</span>
        )}
      </label>
      {children({ id, 'aria-describedby': help ? helpId : undefined, required })}
      {help && (
        <p className="help" id={helpId}>
          {help}
        </p>
      )}
    </div>
  );
}

/** A switch: a checkbox with role=switch, its label and what it does. */
export function Switch({
  label,
  help,
  checked,
  onChange,
}: {
  label: string;
  help: string;
  checked: boolean;
  onChange: (value: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="switch">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={checked}
        aria-describedby={`${id}-help`}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      <p className="help" id={`${id}-help`}>
        {help}
      </p>
    </div>
  );
}

/** Loads data with the API; reloads when `deps` change or `reload()` is called. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | null; error: ApiErrorBody | null; loading: boolean; reload: () => void } {
  const { signOut } = useConsole();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!live) return;
        const body = errorBody(failure);
        if (body.statusCode === 401) signOut();
        setError(body);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}

/** Runs an action, keeping its error and whether it runs (to disable the button). */
export function useAction(): {
  busy: boolean;
  error: ApiErrorBody | null;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
} {
  const { signOut } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await action();
      } catch (failure) {
        const body = errorBody(failure);
        if (body.statusCode === 401) signOut();
        setError(body);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [signOut],
  );
  return { busy, error, run, clear: () => setError(null) };
}

export function Loading() {
  const { t } = useConsole();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}
