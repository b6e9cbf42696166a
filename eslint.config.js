// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules, without type information, so that
// `npm run lint` stays fast; tsc does the type checking. Layering is checked by dependency-cruiser
// (.dependency-cruiser.cjs) and unused files and exports by knip (knip.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // .gpu-carry*/: the GPU machine's packed node + production install (bench/gpu/pack-carry.sh), git-ignored.
  { ignores: ['dist/', 'coverage/', 'outputs/', 'docs/', 'bench/results/', '.gpu-carry*/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    rules: {
      // `_name` marks a parameter or binding kept for its position or to leave it out of a rest object.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read untyped JSON files and protocol bodies, and quote reference values with all their published digits.
    files: ['**/*.test.ts', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-loss-of-precision': 'off' },
  },
  {
    // citty's CommandDef is invariant in its args type, so a table of different commands can only be typed with `any`.
    files: ['src/cli/main.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Stand-in types for the optional packages when they are absent: deliberately `any` (see the files).
    files: ['src/types/*.d.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
