import { useState } from 'react';
import type { ReactNode } from 'react';

import { useConsole } from '../context';
import { Field, FieldError } from '../ui';
import type { ApiErrorBody } from '../i18n/errors';

/** A new password typed twice, with the gateway's rules shown; `value` is null until both match. */
export function usePasswordPair(): {
  value: string | null;
  fields: (error: ApiErrorBody | null) => ReactNode;
} {
  const { t } = useConsole();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const mismatch = second !== '' && first !== second;
  return {
    value: first !== '' && first === second ? first : null,
    fields: (error) => (
      <>
        <p className="muted" id="password-rules">
          {t('password.rules')}
        </p>
        <Field label={t('password.new')} required>
          {(props) => (
            <>
              <input
                {...props}
                aria-describedby="password-rules"
                name="password"
                type="password"
                autoComplete="new-password"
                value={first}
                onChange={(event) => setFirst(event.target.value)}
              />
              <FieldError error={error} field="password" />
            </>
          )}
        </Field>
        <Field label={t('password.again')} required>
          {(props) => (
            <>
              <input
                {...props}
                name="passwordAgain"
                type="password"
                autoComplete="new-password"
                value={second}
                onChange={(event) => setSecond(event.target.value)}
              />
              {mismatch && <p className="field-error">{t('password.mismatch')}</p>}
            </>
          )}
        </Field>
      </>
    ),
  };
}
