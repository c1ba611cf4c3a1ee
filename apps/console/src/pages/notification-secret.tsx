import { useId, useState } from 'react';

import { useConsole } from '../context';

/**
 * A webhook signing secret, shown once (on creation or rotation): the secret itself, a copy
 * button, and the warning that it cannot be shown again. Closing it forgets the secret.
 */
export function SecretOnce({
  secret,
  rotated,
  onClose,
}: {
  secret: string;
  rotated: boolean;
  onClose: () => void;
}) {
  const { t } = useConsole();
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="secret-once" role="alert" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('nset.secretTitle')}</h3>
      <p>
        <strong>{t('nset.secretOnce')}</strong>
      </p>
      {rotated && <p>{t('nset.secretRotated')}</p>}
      <div className="row">
        <code className="secret" data-testid="webhook-secret">
          {secret}
        </code>
        <button type="button" className="primary" onClick={copy}>
          {t('nset.copy')}
        </button>
        <span role="status" className="small">
          {copied === 'yes' ? t('nset.copied') : copied === 'failed' ? t('nset.copyFailed') : ''}
        </span>
      </div>
      <button type="button" onClick={onClose}>
        {t('nset.secretStored')}
      </button>
    </div>
  );
}
