import type { ImportResponse } from '../../../generated/enlace/v1/directory.js';
import { problemText, type ImportSource } from '../../app/directory-import.js';
import { csrfField, textarea } from '../form.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { countryName, type View } from '../view.js';

/** Links to the export and the empty template, as CSV and XLSX. */
export function directoryFileLinks(v: View): Html {
  return html`<p class="actions" data-directory-files>
    <a class="button" href="/directory/export.csv" download>${v.t('dir.exportCsv')}</a>
    <a class="button" href="/directory/export.xlsx" download>${v.t('dir.exportXlsx')}</a>
    <a href="/directory/template.csv" download>${v.t('dir.templateCsv')}</a>
    <a href="/directory/template.xlsx" download>${v.t('dir.templateXlsx')}</a>
  </p>`;
}

function reportSection(v: View, r: ImportResponse, dryRun: boolean, source: ImportSource): Html {
  const counts = { created: r.created, updated: r.updated, retired: r.retired, unchanged: r.unchanged };
  return html`<section class="panel" aria-labelledby="h-report" data-import="${r.problems.length ? 'problems' : r.applied ? 'applied' : 'checked'}">
    <h2 id="h-report" tabindex="-1">${v.t('dir.report')}</h2>
    ${
      r.problems.length
        ? html`<p class="bad" role="alert">${v.t('dir.reportProblems', { count: r.problems.length })}</p>
      <table class="grid"><thead><tr><th scope="col">${v.t(source === 'xlsx' ? 'dir.row' : 'dir.line')}</th><th scope="col">${v.t('dir.column')}</th><th scope="col">${v.t('dir.problem')}</th></tr></thead>
      <tbody>${r.problems.map(
        (pr) =>
          html`<tr data-line="${pr.line}" data-column="${pr.field}" data-rule="${pr.rule}"><td>${pr.line || v.t('dir.wholeFile')}</td><td>${pr.field ? html`<code data-technical>${pr.field}</code>` : '—'}</td><td>${problemText(v.lang, pr)}</td></tr>`,
      )}</tbody></table>`
        : html`<p class="ok" role="status">${v.t(r.applied ? 'dir.reportApplied' : dryRun ? 'dir.reportValid' : 'dir.reportNothing', counts)}</p>`
    }
  </section>`;
}

export function directoryImportPage(v: View, o: { text?: string; report?: ImportResponse; dryRun?: boolean; source?: ImportSource; error?: string }): string {
  const body = html`
  <p class="crumbs"><a href="/directory">${v.t('dir.title')}</a></p>
  <h1>${v.t('dir.import')}</h1>
  <p class="muted">${v.t('dir.importIntro', { country: countryName(v, v.country) })}</p>
  <p class="muted small">${v.t('dir.importFormats')}</p>
  ${directoryFileLinks(v)}
  ${o.report ? reportSection(v, o.report, o.dryRun ?? true, o.source ?? 'csv') : ''}
  <form method="post" action="/directory/import" enctype="multipart/form-data" class="compose">
    ${csrfField(v.csrf)}
    <div class="field"><label for="f-file">${v.t('dir.file')}</label><input id="f-file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="f-file-hint"><p class="hint" id="f-file-hint">${v.t('dir.fileHint')}</p></div>
    ${textarea({ name: 'csv', label: v.t('dir.csv'), value: o.text ?? '', rows: 8, hint: v.t('dir.csvHint') })}
    <div class="actions"><button type="submit" name="mode" value="check">${v.t('dir.check')}</button><button type="submit" name="mode" value="apply" class="primary">${v.t('dir.apply')}</button></div>
  </form>`;
  return layout(v, { title: v.t('dir.import'), active: 'directory', body, flash: o.error ? flash('error', o.error) : '' });
}
