import { useCallback, useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';

import { ApiError } from './api';
import { useConsole } from './context';
import { fieldIs, localizeError, namesField } from './i18n/errors';
import type { ApiErrorBody } from './i18n/errors';

/** Turns anything a call threw into a gateway-style error body. */
export function errorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  return { statusCode: 0, code: 'INTERNAL', message: String(error) };
}

/**
 * A failed call in the chosen language: the sentence, each field and its problems. Fields in
 * `inline` are left out of the list because the form shows them next to their input (FieldError).
 */
export function ErrorBox({
  error,
  inline = [],
}: {
  error: ApiErrorBody | null;
  inline?: string[];
}) {
  const { lang, t } = useConsole();
  if (!error) return null;
  const localized = localizeError(lang, error);
  const listed = localized.fields.filter(
    (field) => !inline.some((name) => fieldIs(field.field, name)),
  );
  return (
    <div className="alert alert-error" role="alert" data-code={error.code}>
      <strong>{localized.message}</strong>
      {listed.length > 0 && (
        <ul>
          {listed.map((field) => (
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

/**
 * The problems the gateway named for one field, shown under its input (with `id` for the input's
 * aria-describedby); nothing when that field is fine.
 */
export function FieldError({
  error,
  field,
  id,
}: {
  error: ApiErrorBody | null;
  field: string;
  id?: string;
}) {
  const { lang } = useConsole();
  if (!error) return null;
  const problems = localizeError(lang, error).fields.filter((entry) => fieldIs(entry.field, field));
  if (problems.length === 0) return null;
  return (
    <p className="field-error" id={id} data-field={field}>
      {problems.flatMap((entry) => entry.problems).join(' ')}
    </p>
  );
}

/**
 * An input's error state for `field`: aria-invalid, and its help plus the FieldError (id
 * `<input id>-error`) in aria-describedby.
 */
export function invalidProps(
  error: ApiErrorBody | null,
  field: string,
  props: { id: string; 'aria-describedby'?: string },
): { 'aria-invalid': boolean; 'aria-describedby'?: string } {
  const invalid = namesField(error, field);
  const ids = [props['aria-describedby'], invalid ? `${props.id}-error` : undefined].filter(
    Boolean,
  );
  return { 'aria-invalid': invalid, 'aria-describedby': ids.length ? ids.join(' ') : undefined };
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
  disabled,
}: {
  label: string;
  help: string;
  checked: boolean;
  onChange: (value: boolean) => void;
  /** Shown but not changeable (the role may not change it). */
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="switch">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
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

/**
 * A delete button that asks once more in place ("really delete?") before it calls `onConfirm`;
 * `label` names the action when it is not a plain delete (e.g. revoke).
 */
export function ConfirmDelete({
  busy,
  onConfirm,
  label,
  question,
}: {
  busy: boolean;
  onConfirm: () => void;
  label?: string;
  question?: string;
}) {
  const { t } = useConsole();
  const [confirming, setConfirming] = useState(false);
  const text = label ?? t('common.delete');
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        {text}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question ?? t('nset.confirmDelete')}>
      <span>{question ?? t('nset.confirmDelete')}</span>
      <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
        {text}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
