module.exports = {
  displayName: 'web-bff',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/web-bff',
};
