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
    // The client is plain Node: it must never depend on the editor.
    files: ['src/client/**/*.ts', 'src/chat/**/*.ts', 'src/predict/**/*.ts', 'emulator/**/*.ts', 'media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/client, src/chat, src/predict, emulator/ and the webview front ends do not use the editor API; pass what you need in from the extension side.' }],
      }],
    },
  },
);
