import { useState } from 'react';

import type { CatalogChangeView, SkuView } from '@smartship/contracts';

import { query } from '../api';
import { useConsole } from '../context';
import { ErrorBox, Field, Loading, Notice, useAction, useLoad } from '../ui';
import { ImportPanel } from './import-panel';
import { SkuSafetyStock } from './sku-safety-stock';

type Kind = SkuView['kind'];
interface OptionRow {
  code: string;
  name: string;
  sellerCode: string;
  variantId: string;
}
interface ComponentRow {
  skuCode: string;
  quantity: string;
}

const blankOption = (): OptionRow => ({ code: '', name: '', sellerCode: '', variantId: '' });
const blankComponent = (): ComponentRow => ({ skuCode: '', quantity: '1' });
const orNull = (value: string) => (value.trim() === '' ? null : value);

/** The body of POST /skus or PATCH /skus/:id for what the form holds. */
function skuBody(
  kind: Kind,
  fields: { code: string; name: string; barcode: string; sellerCode: string },
  options: OptionRow[],
  components: ComponentRow[],
  creating: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: fields.name,
    barcode: orNull(fields.barcode),
  };
  if (creating) body.code = fields.code;
  if (kind === 'single') {
    body.sellerCode = orNull(fields.sellerCode);
    if (!creating) body.components = null;
    if (!creating) body.options = null;
  } else if (kind === 'bundle') {
    body.sellerCode = orNull(fields.sellerCode);
    body.components = components.map((row) => ({
      skuCode: row.skuCode,
      quantity: Number(row.quantity),
    }));
    if (!creating) body.options = null;
  } else {
    if (!creating) body.sellerCode = null;
    if (!creating) body.components = null;
    body.options = options.map((row) => ({
      code: row.code,
      name: row.name,
      sellerCode: orNull(row.sellerCode),
      variantId: orNull(row.variantId),
    }));
  }
  return body;
}

function SkuForm({ sku, onDone }: { sku: SkuView | null; onDone: (message: string) => void }) {
  const { api, t } = useConsole();
  const [kind, setKind] = useState<Kind>(sku?.kind ?? 'single');
  const [fields, setFields] = useState({
    code: sku?.code ?? '',
    name: sku?.name ?? '',
    barcode: sku?.barcode ?? '',
    sellerCode: sku?.sellerCode ?? '',
  });
  const [options, setOptions] = useState<OptionRow[]>(
    sku?.options.length
      ? sku.options.map((option) => ({
          code: option.code,
          name: option.name,
          sellerCode: option.sellerCode ?? '',
          variantId: option.variantId ?? '',
        }))
      : [blankOption()],
  );
  const [components, setComponents] = useState<ComponentRow[]>(
    sku?.components?.map((c) => ({ skuCode: c.skuCode, quantity: String(c.quantity) })) ?? [
      blankComponent(),
    ],
  );
  const action = useAction();
  const set = (name: keyof typeof fields) => (event: { target: { value: string } }) =>
    setFields({ ...fields, [name]: event.target.value });

  const submit = async () => {
    const body = skuBody(kind, fields, options, components, !sku);
    const answer = await action.run(() =>
      sku
        ? api.json<CatalogChangeView<SkuView>>('PATCH', `/skus/${sku.id}`, body)
        : api.json<CatalogChangeView<SkuView>>('POST', '/skus', body),
    );
    if (answer) onDone(t('skus.saved', { released: answer.reevaluation.released }));
  };

  return (
    <form
      className="card"
      aria-labelledby="sku-form-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="sku-form-title">
        {sku ? t('skus.form.edit', { code: sku.code }) : t('skus.form.new')}
      </h2>
      <div className="grid-2">
        <Field label={t('skus.form.code')} help={t('skus.form.code.help')} required>
          {(props) => (
            <input
              {...props}
              name="code"
              value={fields.code}
              disabled={!!sku}
              spellCheck={false}
              onChange={set('code')}
            />
          )}
        </Field>
        <Field label={t('skus.form.name')} required>
          {(props) => <input {...props} name="name" value={fields.name} onChange={set('name')} />}
        </Field>
        <Field label={t('skus.form.barcode')}>
          {(props) => (
            <input {...props} name="barcode" value={fields.barcode} onChange={set('barcode')} />
          )}
        </Field>
      </div>
      <fieldset>
        <legend>{t('skus.form.kind')}</legend>
        {(['single', 'options', 'bundle'] as const).map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="kind"
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {t(`skus.kind.${value}`)}
          </label>
        ))}
      </fieldset>
      {kind !== 'options' && (
        <Field label={t('skus.col.sellerCode')} help={t('skus.form.sellerCode.help')}>
          {(props) => (
            <input
              {...props}
              name="sellerCode"
              spellCheck={false}
              value={fields.sellerCode}
              onChange={set('sellerCode')}
            />
          )}
        </Field>
      )}
      {kind === 'options' && (
        <fieldset>
          <legend>{t('skus.form.options')}</legend>
          <p className="help">{t('skus.form.options.help')}</p>
          <table className="edit-table">
            <thead>
              <tr>
                <th scope="col">{t('skus.form.optionCode')}</th>
                <th scope="col">{t('skus.form.optionName')}</th>
                <th scope="col">{t('skus.col.sellerCode')}</th>
                <th scope="col">{t('skus.form.variantId')}</th>
                <th scope="col">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {options.map((row, index) => {
                const update = (name: keyof OptionRow) => (event: { target: { value: string } }) =>
                  setOptions(
                    options.map((other, i) =>
                      i === index ? { ...other, [name]: event.target.value } : other,
                    ),
                  );
                const label = (key: Parameters<typeof t>[0]) => `${t(key)} ${index + 1}`;
                return (
                  <tr key={index}>
                    <td>
                      <input
                        aria-label={label('skus.form.optionCode')}
                        value={row.code}
                        onChange={update('code')}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={label('skus.form.optionName')}
                        value={row.name}
                        onChange={update('name')}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={label('skus.col.sellerCode')}
                        value={row.sellerCode}
                        onChange={update('sellerCode')}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={label('skus.form.variantId')}
                        value={row.variantId}
                        onChange={update('variantId')}
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        disabled={options.length === 1}
                        onClick={() => setOptions(options.filter((_, i) => i !== index))}
                      >
                        {t('common.remove')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" onClick={() => setOptions([...options, blankOption()])}>
            {t('skus.form.addOption')}
          </button>
        </fieldset>
      )}
      {kind === 'bundle' && (
        <fieldset>
          <legend>{t('skus.form.components')}</legend>
          <p className="help">{t('skus.form.components.help')}</p>
          {components.map((row, index) => (
            <div className="row" key={index}>
              <input
                aria-label={`${t('skus.form.componentSku')} ${index + 1}`}
                placeholder={t('skus.form.componentSku')}
                value={row.skuCode}
                onChange={(event) =>
                  setComponents(
                    components.map((other, i) =>
                      i === index ? { ...other, skuCode: event.target.value } : other,
                    ),
                  )
                }
              />
              <input
                aria-label={`${t('skus.form.quantity')} ${index + 1}`}
                type="number"
                min={1}
                className="narrow-input"
                value={row.quantity}
                onChange={(event) =>
                  setComponents(
                    components.map((other, i) =>
                      i === index ? { ...other, quantity: event.target.value } : other,
                    ),
                  )
                }
              />
              <button
                type="button"
                className="link"
                disabled={components.length === 1}
                onClick={() => setComponents(components.filter((_, i) => i !== index))}
              >
                {t('common.remove')}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setComponents([...components, blankComponent()])}>
            {t('skus.form.addComponent')}
          </button>
        </fieldset>
      )}
      <ErrorBox error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {t('common.save')}
        </button>
        <button type="button" onClick={() => onDone('')}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** SKU 관리: list and search, create and edit, import from Excel/CSV. */
export function SkusPage() {
  const { api, t, can } = useConsole();
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [editing, setEditing] = useState<SkuView | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const { data, error, loading, reload } = useLoad(
    () =>
      api.get<{ items: SkuView[]; total: number }>(
        `/skus${query({ search: applied, limit: 200 })}`,
      ),
    [applied],
  );

  return (
    <section aria-labelledby="skus-title">
      <div className="page-head">
        <h1 id="skus-title">{t('skus.title')}</h1>
        {can('catalog.write') && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('skus.new')}
          </button>
        )}
      </div>
      {notice && <Notice>{notice}</Notice>}
      {editing && (
        <SkuForm
          key={editing === 'new' ? 'new' : editing.id}
          sku={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
            if (message) reload();
          }}
        />
      )}
      {editing && editing !== 'new' && <SkuSafetyStock key={editing.id} sku={editing} />}
      <form
        role="search"
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(search.trim());
        }}
      >
        <label htmlFor="sku-search" className="sr-only">
          {t('skus.search')}
        </label>
        <input
          id="sku-search"
          type="search"
          placeholder={t('skus.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p className="empty">{t('common.empty')}</p>}
      {data && data.items.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('skus.col.code')}</th>
              <th scope="col">{t('skus.col.name')}</th>
              <th scope="col">{t('skus.col.kind')}</th>
              <th scope="col">{t('skus.col.sellerCode')}</th>
              <th scope="col">{t('skus.col.options')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((sku) => (
              <tr key={sku.id}>
                <td>
                  <code>{sku.code}</code>
                </td>
                <td>{sku.name}</td>
                <td>{t(`skus.kind.${sku.kind}`)}</td>
                <td>{sku.sellerCode ? <code>{sku.sellerCode}</code> : '—'}</td>
                <td className="small">
                  {sku.kind === 'options' &&
                    sku.options.map((option) => (
                      <div key={option.id}>
                        <code>{option.code}</code> {option.name}
                        {option.sellerCode && (
                          <>
                            {' '}
                            ← <code>{option.sellerCode}</code>
                          </>
                        )}
                      </div>
                    ))}
                  {sku.components?.map((component) => (
                    <div key={component.skuCode}>
                      <code>{component.skuCode}</code> × {component.quantity}
                    </div>
                  ))}
                </td>
                <td>
                  {can('catalog.write') && (
                    <button type="button" className="link" onClick={() => setEditing(sku)}>
                      {t('common.edit')}
                      <span className="sr-only"> {sku.code}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('catalog.write') && <ImportPanel kind="skus" onImported={reload} />}
    </section>
  );
}
