import { html, rawHtml, type HtmlValue, type SafeHtml } from './html.js';

const styles = rawHtml(`
:root { --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --accent: #0969da;
  --good: #1a7f37; --good-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", sans-serif; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { background: #24292f; padding: 10px 24px; display: flex; align-items: baseline; gap: 16px; }
header.top a { color: #fff; font-weight: 600; font-size: 15px; }
header.top span { color: #9198a1; font-size: 13px; }
main { max-width: 1240px; margin: 0 auto; padding: 14px 24px 48px; }
nav.crumbs { color: var(--muted); font-size: 13px; margin: 4px 0 2px; }
nav.crumbs a { color: var(--muted); } nav.crumbs a:hover { color: var(--accent); }
h1 { font-size: 21px; margin: 4px 0 12px; font-weight: 600; }
h2 { font-size: 16px; margin: 24px 0 8px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
table.compact { width: auto; min-width: 720px; } table.compact td:first-child { padding-right: 48px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; font-size: 13px; white-space: nowrap; }
tbody tr:hover td { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group td { background: #fbfcfd; font-weight: 600; }
td.text { max-width: 420px; overflow-wrap: anywhere; }
a.question { color: var(--fg); } a.question:hover { color: var(--accent); }
.muted { color: var(--muted); } .small { font-size: 12px; }
.ci { color: var(--muted); font-size: 12px; margin-left: 4px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 20px; white-space: nowrap; }
.badge.good { color: var(--good); background: var(--good-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.plain { color: var(--muted); background: var(--panel); border: 1px solid var(--border); }
.up { color: var(--good); } .down { color: var(--bad); }
.answer { font: 600 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.panel { border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px; background: var(--panel); margin: 8px 0 14px; }
form.bar { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; border: 1px solid var(--border);
  border-radius: 8px; padding: 10px 14px; background: var(--panel); margin: 8px 0 14px; }
form.bar label { display: inline-flex; gap: 5px; align-items: center; white-space: nowrap; }
input[type=search], select { font: inherit; padding: 3px 8px; border: 1px solid var(--border); border-radius: 6px; background: #fff; }
input[type=search] { min-width: 280px; }
button { font: inherit; font-weight: 600; padding: 3px 14px; border: 1px solid #1f883d; border-radius: 6px; background: #1f883d; color: #fff; cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 6px 0 14px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.pager { display: flex; gap: 12px; align-items: center; margin: 10px 0; color: var(--muted); }
.notice { border: 1px solid #d4a72c; background: var(--warn-bg); border-radius: 8px; padding: 8px 12px; margin: 8px 0 14px; }
.turn { border: 1px solid var(--border); border-radius: 8px; margin: 8px 0; overflow: hidden; }
.turn .role { font-size: 12px; font-weight: 600; padding: 3px 10px; border-bottom: 1px solid var(--border); background: var(--panel); color: var(--muted); }
.turn.human .role { background: #ddf4ff; color: #0550ae; } .turn.bot .role { background: #eef1f4; }
.turn.system .role { background: var(--warn-bg); color: var(--warn); }
.turn.bot { margin-left: 48px; } .turn.human { margin-right: 48px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 8px 12px;
  font: 13px/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; }
.box { border: 1px solid var(--border); border-radius: 8px; margin: 6px 0 14px; }
details > summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
.examples { border-left: 3px solid var(--border); padding-left: 12px; margin-bottom: 12px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
`);

/** A link in the breadcrumb trail above a page's heading. */
export interface Crumb {
  readonly label: string;
  readonly href: string;
}

/** The page shell: header, breadcrumbs, heading and body, with the inline style sheet and an optional inline script. */
export function renderLayout(options: { title: string; crumbs?: readonly Crumb[]; heading?: HtmlValue; body: SafeHtml; script?: SafeHtml }): string {
  const crumbs = options.crumbs ?? [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · sextant</title>
<style>${styles}</style>
</head>
<body>
<header class="top"><a href="/">sextant</a><span>run viewer</span></header>
<main>
${crumbs.length > 0 ? html`<nav class="crumbs">${crumbs.map((crumb, at) => html`${at > 0 ? ' / ' : ''}<a href="${crumb.href}">${crumb.label}</a>`)}</nav>` : ''}
<h1>${options.heading ?? options.title}</h1>
${options.body}
</main>
${options.script ? html`<script>${options.script}</script>` : ''}
</body>
</html>
`.value;
}
