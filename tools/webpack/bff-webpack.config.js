// One webpack setup for every BFF: the kernel is bundled in (it is a source
// library), node_modules stay external, and a package.json listing only the
// app's own production dependencies is generated for its container image.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join, relative } = require('path');

/** @param {string} appDir the app's folder (its webpack.config.js's __dirname) */
module.exports = function bffWebpackConfig(appDir) {
  const root = join(__dirname, '../..');
  const app = relative(root, appDir);
  return {
    output: {
      path: join(root, 'dist', app),
      clean: true,
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: `./src/main.ts`,
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
    ],
  };
};
