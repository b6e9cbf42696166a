/** The report's stylesheet: system fonts only (CJK fallbacks included), nothing fetched. */
export const reportStyles = `
:root { color-scheme: light; --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --paper: #ffffff; --ground: #f6f8fa; --warn: #9a3412; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--ground); color: var(--ink); line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 14px; }
main { max-width: 1360px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: var(--muted); }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-top: 20px; }
section h2 { margin: 0 0 4px; font-size: 18px; }
section > p.note { margin: 0 0 12px; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #eef1f4; font-weight: 600; }
td.number, th.number { text-align: right; }
tr.group td { background: #f3f6fa; font-weight: 600; }
td.best .score { font-weight: 700; }
.ci { color: var(--muted); font-size: 12px; margin-left: 6px; }
table.summary .ci { display: block; margin-left: 0; font-size: 11px; }
table.summary code { font-size: 12px; }
table.summary td, table.summary th { padding: 3px 8px; }
.zh { color: var(--muted); white-space: normal; min-width: 7em; max-width: 16em; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.low { color: var(--warn); font-weight: 600; }
.chart { position: relative; height: 380px; margin-top: 8px; }
details { margin-top: 12px; }
details > summary { cursor: pointer; font-weight: 600; }
td.raw { white-space: pre-wrap; word-break: break-word; max-width: 560px; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 20px; color: var(--muted); font-size: 12px; }
`;
