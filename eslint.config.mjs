import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'media/**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The client, the catalog and every feature's logic/ folder are plain Node: they never depend on the editor.
    files: ['src/client/**/*.ts', 'src/catalog/**/*.ts', 'src/features/*/logic/**/*.ts', 'emulator/**/*.ts', 'media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/client, src/catalog, src/features/*/logic, emulator/ and the webview front ends do not use the editor API; pass what you need in from the extension side.' }],
      }],
    },
  },
);
