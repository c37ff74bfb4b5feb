// One webpack setup for every BFF: the kernel is bundled in (it is a source
// library), node_modules stay external, and a package.json listing only the
// app's own production dependencies is generated for its container image.
const { composePlugins, withNx } = require('@nx/webpack');

module.exports = composePlugins(withNx({ target: 'node' }), (config) => {
  config.devtool = 'source-map';
  config.output = { ...config.output, devtoolModuleFilenameTemplate: '[absolute-resource-path]' };
  return config;
});
