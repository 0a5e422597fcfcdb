// The report's stylesheet, inlined in the page. Heights and widths come from layout.ts, so that
// the timeline rows start at ROWS_TOP and the track at TRACK_LEFT whatever fonts are installed.
import {
  AXIS_HEIGHT,
  BAR_HEIGHT,
  BAR_INSET,
  CONTENT_WIDTH,
  FIGURES_GAP,
  FIGURES_HEIGHT,
  HEADER_HEIGHT,
  LABEL_WIDTH,
  LEGEND_HEIGHT,
  PAGE_PADDING,
  ROW_HEIGHT,
  TIMELINE_TITLE_HEIGHT,
  TRACK_WIDTH,
} from './layout.js';

const FIGURE_ROW = (FIGURES_HEIGHT - 8) / 2;

/** The CSS of the report. */
export const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:#fff;color:#1f2328}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans","Liberation Sans",Arial,sans-serif}
main{width:${CONTENT_WIDTH + 2 * PAGE_PADDING}px;padding:0 ${PAGE_PADDING}px 48px}
.cut{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
header{height:${HEADER_HEIGHT}px;overflow:hidden;padding-top:10px}
h1{margin:0;height:32px;font-size:22px;line-height:32px;font-weight:600}
header p{margin:0;height:20px;font-size:13px;line-height:20px;color:#59636e}
.figures{display:grid;grid-template-columns:repeat(5,1fr);grid-template-rows:${FIGURE_ROW}px ${FIGURE_ROW}px;gap:8px;height:${FIGURES_HEIGHT}px;margin:0 0 ${FIGURES_GAP}px;overflow:hidden}
.fig{border:1px solid #d8dee4;border-radius:6px;padding:6px 10px;background:#f6f8fa;overflow:hidden;min-width:0}
.fig b{display:block;font-size:12px;font-weight:400;color:#59636e;line-height:18px}
.fig span{display:block;font-size:18px;font-weight:600;line-height:28px}
.fig.bad span{color:#b42318}
.timeline h2{margin:0;height:${TIMELINE_TITLE_HEIGHT}px;line-height:${TIMELINE_TITLE_HEIGHT}px}
h2{font-size:17px;font-weight:600}
.legend{height:${LEGEND_HEIGHT}px;overflow:hidden;white-space:nowrap;font-size:12px;line-height:20px;color:#3d444d}
.key{display:inline-block;margin-right:14px}
.key i{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-2px;border-radius:2px}
.key i.none{border:1px dashed #8c959f;background:#fff}
.key i.crit{background:#fff1c2;box-shadow:inset 3px 0 #e09b00}
.axis{position:relative;height:${AXIS_HEIGHT}px;border-bottom:1px solid #8c959f;font-size:11px;color:#59636e}
.tick{position:absolute;bottom:3px;transform:translateX(-50%);white-space:nowrap}
.rows{position:relative;width:${LABEL_WIDTH + TRACK_WIDTH}px;border-bottom:1px solid #d8dee4}
.grid{position:absolute;top:0;bottom:0;width:1px;background:#e4e7eb;z-index:1}
.row{position:absolute;left:0;width:${LABEL_WIDTH + TRACK_WIDTH}px;height:${ROW_HEIGHT}px;background:#fff}
.row.odd{background:#f6f8fa}
.row.critical{background:#fff1c2}
.row:hover{background:#eef4ff}
.label{position:absolute;left:0;top:0;width:${LABEL_WIDTH}px;height:${ROW_HEIGHT}px;padding:0 12px 0 8px;line-height:${ROW_HEIGHT}px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.critical .label{font-weight:600;box-shadow:inset 4px 0 #e09b00}
.label small{font-weight:400;color:#59636e;font-size:11px}
.bar{position:absolute;top:${BAR_INSET}px;height:${BAR_HEIGHT}px;z-index:2;border-radius:0}
.note{position:absolute;top:0;line-height:${ROW_HEIGHT}px;font-size:12px;font-style:italic;color:#59636e;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:${TRACK_WIDTH - 16}px;z-index:2}
.tip{display:none;position:absolute;top:${ROW_HEIGHT - 2}px;width:420px;margin:0;padding:8px 10px;background:#fff;border:1px solid #8c959f;border-radius:6px;box-shadow:0 4px 12px rgba(0,0,0,.18);font-size:12px;z-index:20;grid-template-columns:80px 1fr;gap:2px 8px}
.row:hover .tip{display:grid}
.tip dt{color:#59636e}
.tip dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 8px}
th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.critical td:first-child{box-shadow:inset 4px 0 #e09b00;font-weight:600}
.state i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.path{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;overflow-wrap:anywhere}
section.block h2{margin:24px 0 6px}
.failure h3{margin:16px 0 4px;font-size:15px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.failure p{margin:2px 0}
pre{margin:6px 0 0;padding:8px 10px;background:#161b22;color:#e6edf3;border-radius:6px;font:12px/1.45 ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap;overflow-wrap:anywhere;max-height:420px;overflow:auto}
`;
