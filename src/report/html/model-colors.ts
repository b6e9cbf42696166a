// A colour-blind-friendly categorical palette (Okabe–Ito, yellow dropped for contrast on white), then greys.
const palette = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#000000', '#7f7f7f'] as const;

/** The colour of the `index`-th model, as `#rrggbb`: the same in the tables and the charts. */
export function modelColor(index: number): string {
  return palette[index % palette.length] as string;
}
