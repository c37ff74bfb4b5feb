module.exports = {
  displayName: 'mobile-bff',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/mobile-bff',
};
