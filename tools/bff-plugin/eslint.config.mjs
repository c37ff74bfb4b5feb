import jsoncParser from 'jsonc-eslint-parser';
import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  // Checks generators.json and package.json: factories and schemas exist, names are valid.
  {
    files: ['**/*.json'],
    languageOptions: { parser: jsoncParser },
    rules: { '@nx/nx-plugin-checks': 'error' },
  },
];
