module.exports = {
  displayName: 'upstream-sim',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/upstream-sim',
  // jose 6 ships ESM only. Node >= 20.19 require()s it natively (the built
  // sim does), but Jest's module loader does not on Node 20: let SWC compile it.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
