import { useEffect, useState } from 'react';

import type { NotificationSettingsView } from '@smartship/contracts';

import { useConsole } from '../context';
import { LANGS, LANG_NAMES, isLang } from '../i18n/messages';
import type { Lang } from '../i18n/messages';
import { formatHour, joinWindow, splitWindow } from '../notifications';
import {
  ErrorBox,
  Field,
  FieldError,
  Loading,
  Notice,
  invalidProps,
  useAction,
  useLoad,
} from '../ui';
import { EndpointsSection } from './notification-endpoints';
import { RecipientsSection } from './notification-recipients';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** 기본 설정: the e-mails' language, the repeat window and the digest hour (JST). */
function GeneralForm({
  settings,
  onSaved,
}: {
  settings: NotificationSettingsView;
  onSaved: () => void;
}) {
  const { api, t } = useConsole();
  const initialWindow = splitWindow(settings.windowMinutes);
  const [language, setLanguage] = useState<Lang>(settings.language);
  const [windowValue, setWindowValue] = useState(String(initialWindow.value));
  const [windowUnit, setWindowUnit] = useState(initialWindow.unit);
  const [digestHour, setDigestHour] = useState(settings.digestHourJst);
  const [notice, setNotice] = useState('');
  const action = useAction();

  // A reload after another section saved keeps the values the server holds.
  useEffect(() => {
    const window = splitWindow(settings.windowMinutes);
    setLanguage(settings.language);
    setWindowValue(String(window.value));
    setWindowUnit(window.unit);
    setDigestHour(settings.digestHourJst);
  }, [settings.language, settings.windowMinutes, settings.digestHourJst]);

  const submit = async () => {
    setNotice('');
    const saved = await action.run(() =>
      api.json<NotificationSettingsView>('PUT', '/notification-settings', {
        language,
        windowMinutes: joinWindow(windowValue, windowUnit),
        digestHourJst: digestHour,
      }),
    );
    if (!saved) return;
    setNotice(t('nset.saved'));
    onSaved();
  };

  return (
    <form
      // The API checks the values and its errors are shown by the field, in the chosen language.
      noValidate
      className="card"
      aria-labelledby="general-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="general-title">{t('nset.general')}</h2>
      <div className="grid-3">
        <Field label={t('nset.language')} help={t('nset.language.help')} required>
          {(props) => (
            <>
              <select
                {...props}
                {...invalidProps(action.error, 'language', props)}
                name="language"
                value={language}
                onChange={(event) => isLang(event.target.value) && setLanguage(event.target.value)}
              >
                {LANGS.map((code) => (
                  <option key={code} value={code}>
                    {LANG_NAMES[code]}
                  </option>
                ))}
              </select>
              <FieldError error={action.error} field="language" id={`${props.id}-error`} />
            </>
          )}
        </Field>
        <Field label={t('nset.window')} help={t('nset.window.help')} required>
          {(props) => (
            <>
              <div className="row tight">
                <input
                  {...props}
                  {...invalidProps(action.error, 'windowMinutes', props)}
                  name="windowValue"
                  type="number"
                  min={1}
                  className="narrow-input"
                  value={windowValue}
                  onChange={(event) => setWindowValue(event.target.value)}
                />
                <select
                  name="windowUnit"
                  aria-label={t('nset.window.unit')}
                  value={windowUnit}
                  onChange={(event) =>
                    setWindowUnit(event.target.value === 'hours' ? 'hours' : 'minutes')
                  }
                >
                  <option value="minutes">{t('nset.minutes')}</option>
                  <option value="hours">{t('nset.hours')}</option>
                </select>
              </div>
              <FieldError error={action.error} field="windowMinutes" id={`${props.id}-error`} />
            </>
          )}
        </Field>
        <Field label={t('nset.digestHour')} help={t('nset.digestHour.help')} required>
          {(props) => (
            <>
              <select
                {...props}
                {...invalidProps(action.error, 'digestHourJst', props)}
                name="digestHourJst"
                value={digestHour}
                onChange={(event) => setDigestHour(Number(event.target.value))}
              >
                {HOURS.map((hour) => (
                  <option key={hour} value={hour}>
                    {formatHour(hour)}
                  </option>
                ))}
              </select>
              <FieldError error={action.error} field="digestHourJst" id={`${props.id}-error`} />
            </>
          )}
        </Field>
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={action.error} inline={['language', 'windowMinutes', 'digestHourJst']} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

/** 알림 설정: general options, e-mail recipients and webhook endpoints. */
export function NotificationSettingsPage() {
  const { api, t, can } = useConsole();
  const { data, error, loading, reload } = useLoad(
    () => api.get<NotificationSettingsView>('/notification-settings'),
    [],
  );
  return (
    <section aria-labelledby="nset-title" className="notification-settings">
      <h1 id="nset-title">{t('nset.title')}</h1>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        // Shown to every role; only shops.settings may change it (the controls are off).
        <fieldset className="plain" disabled={!can('shops.settings')}>
          <GeneralForm settings={data} onSaved={reload} />
          <RecipientsSection
            recipients={data.recipients}
            digestHour={data.digestHourJst}
            onChanged={reload}
          />
          <EndpointsSection endpoints={data.endpoints} onChanged={reload} />
        </fieldset>
      )}
    </section>
  );
}
