module.exports = {
  displayName: 'bff-plugin',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/bff-plugin',
  // The templates under files/ are data, not specs.
  testPathIgnorePatterns: ['/node_modules/', '/files/'],
};
