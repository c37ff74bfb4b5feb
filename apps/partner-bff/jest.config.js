module.exports = {
  displayName: 'partner-bff',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/partner-bff',
};
