// Replaced at build time by the version in the repo's package.json (webpack's
// DefinePlugin in tools/webpack, jest's `globals` in jest.preset.js), so the
// API docs and logs name the release that runs, not a default.
declare const GATEWAY_APP_VERSION: string | undefined;

/** The release this process runs: `version` in the repo's package.json. */
export const APP_VERSION: string = typeof GATEWAY_APP_VERSION === 'string' ? GATEWAY_APP_VERSION : '0.0.0';
