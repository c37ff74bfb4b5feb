// Suites that start real processes (sims and built BFFs on free ports) and
// check what a client sees. They run against `nx build` output.
module.exports = {
  displayName: 'gateway-e2e',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30000,
};
