import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import lit from 'eslint-plugin-lit'
import litA11y from 'eslint-plugin-lit-a11y'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'demo-output/', 'test-output/', 'stubs/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, chrome: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='chrome']",
          message: 'src/ is the core: no chrome.* here; put extension code under extension/.',
        },
      ],
    },
  },
  {
    // Only the core is forbidden from touching chrome.*
    files: ['extension/**', 'test/**', 'scripts/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Lit templates: correct bindings and accessible markup.
    files: ['components/**/*.ts', 'extension/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['components/**/*.ts', 'extension/**/*.ts'],
    ...litA11y.configs.recommended,
  },
)
