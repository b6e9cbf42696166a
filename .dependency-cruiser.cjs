/**
 * dependency-cruiser (part of `npm run lint`): the dependency rules of STYLE.md 7.3, with the layers of
 * docs/architecture.md, lowest first: spec → utils → {datasets, prompts, postprocess, metrics, stats, backends/*} → evaluators →
 * tasks → registry → {runner, store, report, compare, viewer} → config → api → cli. Each rule says what one folder
 * may import from src/ (tests excepted); the exceptions that exist today are listed by file in `exceptions` below,
 * each with the reason it is allowed.
 */

/** A folder under src/ as a path pattern. */
const folder = (name) => `^src/${name}/`;

/**
 * Known exceptions: [importing file, imported file, why]. Each allows exactly that file to import that target, on
 * top of what its folder's rule allows.
 */
const exceptions = [
  ...['lmdeploy', 'vllm'].map((backend) => [
    `^src/backends/${backend}/`,
    '^src/backends/openai-compatible/index\\.ts$',
    'openai-compatible/ is the OpenAI wire protocol and the server launcher that LMDeploy and vLLM speak; as packages, they would depend on it',
  ]),
  [
    '^src/registry/backend-registry\\.ts$',
    '^src/config/(defaults|resolve-config)\\.ts$',
    'the backend registry turns resolved model configs into backends: it needs their type and the defaults, which live in config/ (one defaults.ts)',
  ],
  [
    '^src/runner/(infer-model|token-budget|plan-model)\\.ts$',
    '^src/config/index\\.ts$',
    "the runner takes config's ResolvedModel type for a model's prompt style, generation settings and maxSeqLen",
  ],
  [
    '^src/compare/(compare-model-runs|read-model-run)\\.ts$',
    '^src/registry/dataset-registry\\.ts$',
    'a comparison re-resolves the datasets and summary groups a run recorded by name',
  ],
  ['^src/viewer/answer-extractor\\.ts$', '^src/registry/index\\.ts$', "the viewer re-resolves a recorded dataset's answer extractor by name"],
  [
    '^src/viewer/(run-pages|render-compare-page|viewer-store)\\.ts$',
    '^src/compare/index\\.ts$',
    "the compare page renders sextant compare's own RunComparison (one implementation of pairing, intervals, tests and verdicts), and the discordant filter pairs as it does",
  ],
  ['^src/compare/text-table\\.ts$', '^src/report/format/index\\.ts$', "comparison tables use report's display-width and markdown table formatting"],
  ['^src/cli/execute-run\\.ts$', '^src/report/console-reporter\\.ts$', "the console progress reporter is the CLI's own output, passed to runEvaluation"],
];

/**
 * Rules saying that files under `from` import from src/ only the folders `allowed` (plus, for the files listed in
 * `exceptions`, their one extra target).
 */
function onlyFrom(name, from, allowed, comment) {
  const allowedPaths = allowed.map(folder);
  const own = exceptions.filter(([file]) => file.startsWith(from));
  const rule = (suffix, fromPath, fromPathNot, extra, why) => ({
    name: `${name}${suffix}`,
    comment: why,
    severity: 'error',
    from: { path: fromPath, pathNot: ['\\.test\\.ts$', ...fromPathNot] },
    to: { path: '^src/', pathNot: [...allowedPaths, ...extra] },
  });
  return [
    rule(
      '',
      from,
      own.map(([file]) => file),
      [],
      comment,
    ),
    ...own.map(([file, target, why], index) => rule(`-exception-${index + 1}`, file, [], [target], `${comment}; exception: ${why}`)),
  ];
}

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'STYLE 7.3 rule 10: no cycles', from: {}, to: { circular: true } },
    ...onlyFrom('spec-imports-nothing', folder('spec'), ['spec'], 'rule 1: spec/ imports nothing from src/'),
    ...onlyFrom('utils-only-spec', folder('utils'), ['utils', 'spec'], 'rule 2: utils/ imports only spec/'),
    ...['datasets', 'prompts', 'postprocess', 'metrics', 'stats', 'sandbox'].flatMap((leaf) =>
      onlyFrom(`leaf-${leaf}`, folder(leaf), [leaf, 'spec', 'utils'], 'rule 3: leaf libraries import spec/ and utils/ only, never each other'),
    ),
    ...onlyFrom('leaf-evaluators', folder('evaluators'), ['evaluators', 'spec', 'utils', 'metrics'], "evaluators (OpenCompass's) build on metrics/"),
    ...['openai-compatible', 'lmdeploy', 'vllm', 'llama-cpp', 'transformers'].flatMap((backend) =>
      onlyFrom(
        `backend-${backend}`,
        folder(`backends/${backend}`),
        [`backends/${backend}`, 'spec', 'utils'],
        'rule 4: a backend imports spec/ and utils/ only',
      ),
    ),
    ...onlyFrom(
      'evaluators-over-leaves',
      folder('evaluators'),
      ['evaluators', 'spec', 'utils', 'metrics', 'postprocess'],
      'evaluators (OpenCompass scoring over a whole dataset) build on metrics/ and postprocess/ only',
    ),
    ...onlyFrom(
      'tasks-describe-work',
      folder('tasks'),
      ['tasks', 'spec', 'utils', 'datasets', 'prompts', 'postprocess', 'metrics', 'evaluators'],
      'rule 5: tasks/ never import backends/ or runner/',
    ),
    ...onlyFrom(
      'registry-below-runner',
      folder('registry'),
      ['registry', 'spec', 'utils', 'backends', 'tasks'],
      'the registry maps names to backends and tasks',
    ),
    ...onlyFrom(
      'runner-through-registry',
      folder('runner'),
      ['runner', 'spec', 'utils', 'datasets', 'prompts', 'postprocess', 'metrics', 'stats', 'registry', 'store'],
      'rule 6: the runner never imports a concrete backend or benchmark',
    ),
    ...onlyFrom('store-own-formats', folder('store'), ['store', 'spec', 'utils'], 'rule 7: store/ depends on spec/ and utils/'),
    ...onlyFrom(
      'report-works-on-saved-logs',
      folder('report'),
      ['report', 'spec', 'utils', 'stats', 'metrics', 'postprocess'],
      'rule 7: report/ never imports runner/',
    ),
    ...onlyFrom(
      'compare-on-saved-runs',
      folder('compare'),
      ['compare', 'spec', 'utils', 'stats', 'metrics', 'postprocess', 'store'],
      'comparisons read saved runs; they never call a model',
    ),
    ...onlyFrom(
      'viewer-on-saved-runs',
      folder('viewer'),
      ['viewer', 'spec', 'utils', 'stats', 'metrics', 'postprocess', 'store'],
      'the viewer reads saved runs; it never calls a model',
    ),
    ...onlyFrom(
      'config-below-api',
      folder('config'),
      ['config', 'spec', 'utils', 'datasets', 'prompts', 'postprocess', 'metrics', 'stats', 'tasks', 'registry'],
      'rule 8: config/ resolves names through registry/',
    ),
    ...onlyFrom(
      'cli-thin',
      folder('cli'),
      ['cli', 'api', 'config', 'spec', 'utils'],
      'rule 9: cli/ imports api/ and config/ (and the spec vocabulary and domain-free utils)',
    ),
    {
      name: 'no-private-files',
      severity: 'error',
      comment: 'rule 10: nothing outside a folder imports its `_`-prefixed files',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/.+/_[^/]*$', pathNot: '^src/$1/' },
    },
    {
      name: 'native-packages-in-their-backend',
      severity: 'error',
      comment: 'the optional native packages load lazily, inside their backend only, so HTTP-only users never need them',
      // local-tokenizer.ts: an OpenAI-compatible model's `tokenizerPath`, imported lazily only when one is set.
      from: {
        pathNot: ['^src/backends/(llama-cpp|transformers)/', '^src/api/detect-chat-templates\\.ts$', '^src/backends/openai-compatible/local-tokenizer\\.ts$'],
      },
      to: { path: '(^|node_modules/)(node-llama-cpp|@huggingface/transformers|onnxruntime-node)(/|$)' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment: 'what the built package runs must be a dependency, not a devDependency',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'every import resolves, except the optional packages, which may be absent (their backends say so at run time)',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(node-llama-cpp|@huggingface/transformers)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|outputs)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
