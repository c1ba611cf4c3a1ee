import { useId } from 'react';

import { useConsole } from '../context';
import type { ApiErrorBody } from '../i18n/errors';
import { namesField } from '../i18n/errors';
import { ALERT_KINDS, kindHelp, kindName } from '../notifications';
import { FieldError } from '../ui';

/**
 * "받을 알림": one checkbox per alert kind with its name and what it means, plus select all /
 * clear all. The gateway's problems with `kinds` show under the list.
 */
export function KindPicker({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (kinds: string[]) => void;
  error: ApiErrorBody | null;
}) {
  const { lang, t } = useConsole();
  const id = useId();
  const invalid = namesField(error, 'kinds');
  const toggle = (kind: string, on: boolean) =>
    onChange(
      on
        ? ALERT_KINDS.filter((k) => k === kind || value.includes(k))
        : value.filter((k) => k !== kind),
    );
  return (
    <fieldset
      className="kinds"
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? `${id}-error` : undefined}
    >
      <legend>
        {t('nset.kinds')}{' '}
        <span className="opt">
          {t('nset.kinds.count', { n: value.length, total: ALERT_KINDS.length })}
        </span>
      </legend>
      <div className="row">
        <button type="button" className="small-button" onClick={() => onChange([...ALERT_KINDS])}>
          {t('nset.kinds.all')}
        </button>
        <button type="button" className="small-button" onClick={() => onChange([])}>
          {t('nset.kinds.none')}
        </button>
      </div>
      <div className="kind-grid">
        {ALERT_KINDS.map((kind) => (
          <label key={kind} className="kind-choice">
            <input
              type="checkbox"
              name="kinds"
              value={kind}
              checked={value.includes(kind)}
              onChange={(event) => toggle(kind, event.target.checked)}
            />
            <span>
              <span className="kind-name">{kindName(lang, kind)}</span>
              <span className="help">{kindHelp(lang, kind)}</span>
            </span>
          </label>
        ))}
      </div>
      <FieldError error={error} field="kinds" id={`${id}-error`} />
    </fieldset>
  );
}

/** The kinds a recipient or endpoint gets, as short names (all ten: one word). */
export function KindList({ kinds }: { kinds: string[] }) {
  const { lang, t } = useConsole();
  if (kinds.length === 0) return <span className="muted">{t('common.none')}</span>;
  if (ALERT_KINDS.every((kind) => kinds.includes(kind))) {
    return <span className="tag">{t('nset.kinds.every')}</span>;
  }
  return (
    <span className="tags">
      {kinds.map((kind) => (
        <span key={kind} className="tag" title={kindHelp(lang, kind)}>
          {kindName(lang, kind)}
        </span>
      ))}
    </span>
  );
}
