/** Paths of the viewer's pages; every segment and parameter is encoded here, and escaped again where it is rendered. */
export const viewerUrls = {
  runs: (): string => '/',
  run: (timestamp: string): string => `/runs/${encodeURIComponent(timestamp)}`,
  samples: (options: { run: string; model: string; dataset: string; params?: ReadonlyArray<[string, string]> }): string =>
    `/runs/${encodeURIComponent(options.run)}/samples/${encodeURIComponent(options.model)}/${encodeURIComponent(options.dataset)}${query(options.params)}`,
  sample: (options: { run: string; model: string; dataset: string; index: number; params?: ReadonlyArray<[string, string]> }): string =>
    `${viewerUrls.samples({ run: options.run, model: options.model, dataset: options.dataset })}/${options.index}${query(options.params)}`,
  compare: (params: ReadonlyArray<[string, string]>): string => `/compare${query(params)}`,
};

function query(params: ReadonlyArray<[string, string]> | undefined): string {
  if (!params || params.length === 0) return '';
  return `?${new URLSearchParams([...params]).toString()}`;
}
