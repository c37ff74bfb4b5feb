module.exports = {
  displayName: 'upstream-sim',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/upstream-sim',
};
