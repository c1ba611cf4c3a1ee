import { useState } from 'react';

import type { ImportJobView, ImportReportView } from '@smartship/contracts';

import { ApiError } from '../api';
import type { Api } from '../api';
import { useConsole } from '../context';
import { localizeImportReason } from '../i18n/errors';
import { ErrorBox, Field, Notice, useAction } from '../ui';

/** How often a background import is asked how it stands, ms. */
const IMPORT_POLL_MS = 1_000;

/**
 * Uploads the file. The gateway answers the report when the import ends within its wait, else
 * 202 with the job: then the job is followed until it ends, telling the rows read so far. A
 * rejected or failed job becomes the error the synchronous answer would have been.
 */
async function importAndFollow(
  api: Api,
  path: string,
  file: File,
  onProgress: (rows: number) => void,
): Promise<ImportReportView> {
  let answer = await api.upload<ImportReportView | ImportJobView>(path, 'file', file);
  while ('state' in answer) {
    const job: ImportJobView = answer;
    if (job.state === 'applied' && job.report) return job.report;
    if (job.error) throw new ApiError(job.error);
    onProgress(job.rowsRead);
    await new Promise((resolve) => setTimeout(resolve, IMPORT_POLL_MS));
    answer = await api.get<ImportJobView>(`/imports/${job.id}`);
  }
  return answer;
}

/** What differs between the SKU and the name-rule import: routes, file name and texts. */
const KINDS = {
  skus: {
    path: '/skus/import',
    fileName: 'smartship-skus',
    title: 'skus.import',
    help: 'skus.import.help',
    done: 'skus.import.done',
  },
  rules: {
    path: '/mappings/import',
    fileName: 'smartship-rules',
    title: 'mapping.import',
    help: 'mapping.import.help',
    done: 'mapping.import.done',
  },
} as const;

/**
 * Excel/CSV upload of SKUs (SKU 관리) or name rules (SKU 매핑): the template in the console's
 * language, the upload followed to its end, and the report or every problem by row.
 */
export function ImportPanel({
  kind,
  onImported,
}: {
  kind: keyof typeof KINDS;
  onImported: () => void;
}) {
  const { api, lang, t } = useConsole();
  const texts = KINDS[kind];
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReportView | null>(null);
  // Rows read so far while a long import runs in the background (null: none running).
  const [progress, setProgress] = useState<number | null>(null);
  const action = useAction();
  const rejected =
    action.error?.code === 'IMPORT_REJECTED'
      ? (action.error.details as ImportReportView | null)
      : null;
  const problems = report?.problems.length ? report.problems : (rejected?.problems ?? []);
  // The gateway lists the first 1,000 problems and counts them all (older answers lack the count).
  const problemCount = (report ?? rejected)?.problemCount ?? problems.length;
  const encoding = (report ?? rejected)?.encoding ?? null;

  return (
    <section className="card" aria-labelledby={`import-title-${kind}`}>
      <h2 id={`import-title-${kind}`}>{t(texts.title)}</h2>
      <p className="help">{t(texts.help)}</p>
      <div className="actions">
        {(['xlsx', 'csv'] as const).map((format) => (
          <button
            key={format}
            type="button"
            onClick={() =>
              void action.run(() =>
                api.download(
                  `${texts.path}/template?format=${format}&lang=${lang}`,
                  `${texts.fileName}.${format}`,
                ),
              )
            }
          >
            {t('skus.import.template', { format: format.toUpperCase() })}
          </button>
        ))}
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          setReport(null);
          setProgress(null);
          void action
            .run(() => importAndFollow(api, texts.path, file, setProgress))
            .then((answer) => {
              setProgress(null);
              if (answer) {
                setReport(answer);
                onImported();
              }
            });
        }}
      >
        <Field label={t('skus.import.file')} required>
          {(props) => (
            <input
              {...props}
              name="file"
              type="file"
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={!file || action.busy}>
          {t('skus.import.submit')}
        </button>
      </form>
      {progress !== null && (
        <p role="status" data-testid="import-progress">
          {t('skus.import.running', { rows: progress })}
        </p>
      )}
      <ErrorBox error={action.error} />
      {report && report.applied && (
        <Notice>
          {t(texts.done, {
            rows: report.rows,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            released: report.reevaluation.released,
          })}
          {encoding && ` ${t('skus.import.encoding', { encoding })}`}
        </Notice>
      )}
      {problems.length > 0 && (
        <table className="data" aria-label={t('skus.import.rejected', { count: problemCount })}>
          <caption>
            {t('skus.import.rejected', { count: problemCount })}
            {problemCount > problems.length &&
              ` ${t('skus.import.firstProblems', { shown: problems.length, total: problemCount })}`}
            {encoding && ` ${t('skus.import.encoding', { encoding })}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('skus.import.row')}</th>
              <th scope="col">{t('skus.import.column')}</th>
              <th scope="col">{t('skus.import.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((problem, index) => (
              <tr key={index}>
                <td>{problem.row}</td>
                <td>{problem.column ?? '—'}</td>
                <td>{localizeImportReason(lang, problem.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
