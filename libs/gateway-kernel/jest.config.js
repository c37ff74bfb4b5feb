module.exports = {
  displayName: 'gateway-kernel',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/gateway-kernel',
};
