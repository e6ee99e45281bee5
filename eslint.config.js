// One lint configuration for the whole monorepo (STYLE.md: shared config lives once).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.stack/**', '**/coverage/**', 'e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Vue single-file components (apps/*): the plugin's recommended rules, TypeScript in <script setup lang="ts">.
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['apps/**/*.{ts,vue}', 'packages/app-kit/src/**/*.vue'],
    ignores: ['apps/*/vite.config.ts', 'apps/*/capacitor.config.ts', 'apps/*/scripts/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Formatting belongs to Prettier.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      // Ionic components are used in kebab case (<ion-page>), as Ionic's docs write them.
      'vue/no-deprecated-slot-attribute': 'off',
    },
  },
  {
    files: ['edge-functions/**/*.ts'],
    languageOptions: { globals: { Deno: 'readonly', EdgeRuntime: 'readonly' } },
  },
);
