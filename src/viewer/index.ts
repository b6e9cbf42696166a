export { createViewerHandler } from './create-viewer-handler.js';
export { escapeHtml, html, rawHtml, SafeHtml } from './html.js';
export { buildSampleLogIndex, positionOfSample, readLoggedSamples, type LoggedSample, type SampleLogIndex } from './sample-log-index.js';
export { buildSampleFacts, sampleFlag, type SampleFacts } from './sample-facts.js';
export { applySampleFilter, parseSampleFilter, type SampleFilter } from './sample-filter.js';
export { ViewerRequestError } from './viewer-request-error.js';
export { ViewerStore, type ViewerRun } from './viewer-store.js';
