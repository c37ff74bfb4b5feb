// One webpack setup for every BFF: the kernel and the production
// dependencies are bundled in and minified, each package in its own chunk
// under vendor/, and a package.json listing the app's own production
// dependencies is generated for its container image (a few packages are
// still loaded from node_modules, see EXTERNAL).
//
// Why: a BFF loaded some 2,000 files from node_modules, and V8 keeps the
// source of each in the heap (9 MB; lodash twice its size, as a two-byte
// string). Bundled, minified and ASCII-only, the same code is 4.5 MB in under
// 200 files: idle RSS ~13 MB lower (external or bundled unminified, it is the
// same), and ~40% less CPU to start. One chunk per package rather than one
// bundle: V8 parses a script in one piece, and its parser's scratch memory
// for a 4 MB script (over 20 MB) stays with the allocator once freed, where
// package-sized chunks reuse the same few MB.
const { join, relative } = require('path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const TerserPlugin = require('terser-webpack-plugin');
const { BannerPlugin, DefinePlugin, SourceMapDevToolPlugin } = require('webpack');

// Loaded from node_modules at run time:
// - pino and its transport machinery: a transport (pino-pretty in development)
//   runs in a worker thread that loads pino's own files by path;
// - @opentelemetry/*: loaded only when tracing is on (see startTracing); the
//   SDK patches modules as they are required and shares its API through a
//   global, so the API must be the one copy the SDK loads;
// - swagger-ui-dist: the /docs assets are served from its folder.
const EXTERNAL = /^(pino|pino-pretty|thread-stream|swagger-ui-dist|@opentelemetry\/[^/]+)(\/|$)/;

// Optional loaders of Nest and terminus that take the package name from a
// variable; every package they may load is bundled or left out on purpose.
const EXPECTED_WARNINGS = [
  /@nestjs[\\/]common[\\/]utils[\\/]load-package\.util\.js/,
  /@nestjs[\\/]core[\\/]helpers[\\/](load-adapter|optional-require)\.js/,
  /[\\/]load-esm[\\/]/,
];

/** @param {string} appDir the app's folder (its webpack.config.js's __dirname) */
module.exports = function bffWebpackConfig(appDir) {
  const root = join(__dirname, '../..');
  const app = relative(root, appDir);
  return {
    output: {
      path: join(root, 'dist', app),
      clean: true,
      chunkFilename: '[name].js',
    },
    externals: [externalPackages],
    module: {
      rules: [
        {
          // terminus requires optional database drivers by name (`require(\`${module}\`)`), which
          // webpack would turn into a context over all of terminus's files: resolve it to nothing,
          // so a missing driver is reported as missing, as it was (the gateway uses none of them).
          test: /[\\/]@nestjs[\\/]terminus[\\/]dist[\\/]utils[\\/]checkPackage\.util\.js$/,
          parser: { wrappedContextRegExp: /(?!)/, exprContextRegExp: /(?!)/ },
        },
        {
          // Nest's loggers build an Intl.DateTimeFormat as they load: ~8 MB of ICU data resident
          // in every BFF for a console logger it never uses. Built on first use instead.
          test: /[\\/]@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/,
          use: [join(__dirname, 'lazy-date-time-format.loader.js')],
        },
      ],
    },
    ignoreWarnings: [(warning) => EXPECTED_WARNINGS.some((re) => re.test(warning.module?.resource ?? ''))],
    optimization: {
      splitChunks: {
        chunks: 'all',
        minSize: 0,
        cacheGroups: {
          default: false,
          defaultVendors: false,
          vendor: { test: /[\\/]node_modules[\\/]/, name: vendorChunkName, enforce: true },
        },
      },
    },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: `./src/main.ts`,
        tsConfig: './tsconfig.app.json',
        outputHashing: 'none',
        generatePackageJson: true,
        externalDependencies: 'none',
        mergeExternals: true,
        // The gRPC contracts (proto/), beside main.js where the kernel's grpc transport looks first.
        assets: [{ input: join(root, 'proto'), glob: '**/*.proto', output: 'proto' }],
        // Minified and mapped below, with our own settings.
        optimization: false,
        sourceMap: false,
      }),
      new BffMinify(),
      // The release the API docs name (libs/gateway-kernel/src/config/app-version.ts).
      new DefinePlugin({ GATEWAY_APP_VERSION: JSON.stringify(require(join(root, 'package.json')).version) }),
      new MemorySettingsPrelude(join(root, 'libs/gateway-kernel/src/observability/tracing/memory-settings.ts')),
      // A map for main.js only (the app and the kernel: what stack traces and profiles need
      // named); none for vendor/, so `--enable-source-maps` does not load the dependencies' maps.
      // Positions and names only, without the sources' text (noSources): stack traces need no
      // more, and the text was 700 KB of the 1.1 MB map that every BFF held, ~3 MB of idle RSS.
      new SourceMapDevToolPlugin({
        filename: '[file].map',
        include: /^main\.js$/,
        noSources: true,
        moduleFilenameTemplate: '[absolute-resource-path]',
      }),
    ],
  };
};

/** Bundles every package it can resolve, except EXTERNAL; a package that is not installed stays a run-time require (optional dependencies fail as before). */
function externalPackages({ request, context }, callback) {
  if (!request || request.startsWith('.') || request.startsWith('/') || request.startsWith('@gateway/')) return callback();
  if (EXTERNAL.test(request)) return callback(null, `commonjs ${request}`);
  try {
    require.resolve(request, { paths: [context] });
  } catch {
    return callback(null, `commonjs ${request}`);
  }
  callback();
}

/** `vendor/<package>` (`vendor/@nestjs/core`): one chunk per package, named so profiles and stack traces say which. */
function vendorChunkName(module) {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(module.context ?? module.resource ?? '');
  return `vendor/${match ? match[1].replace(/\\/g, '/') : 'misc'}`;
}

/**
 * main.js first applies the kernel's V8 memory settings (applyMemorySettings,
 * built on its own as memory-settings.js), then loads the vendor chunks: V8
 * reads some of those settings as it allocates, and the chunks' sources alone
 * would otherwise grow the young generation for good before the app's
 * tracing.ts, which applies them in any other runner, even runs.
 */
class MemorySettingsPrelude {
  constructor(file) {
    this.file = file;
  }

  apply(compiler) {
    compiler.options.entry['memory-settings'] = { import: [this.file], library: { type: 'commonjs2' } };
    new BannerPlugin({ banner: 'require("./memory-settings.js").applyMemorySettings();', raw: true, entryOnly: true, include: /^main\.js$/ }).apply(compiler);
  }
}

/**
 * Minifies with names kept: Nest and class-validator read class names, and
 * stack traces from the dependencies (which have no map) stay readable.
 * ASCII-only output keeps every source a one-byte string in V8. Whitespace,
 * comments and local names only: swc's compress pass made the proxy route
 * cost some 3-4% more CPU per request, for 0.2 MB less source. Applied after
 * NxAppWebpackPlugin, which sets its own minimizer.
 */
class BffMinify {
  apply(compiler) {
    compiler.options.optimization.minimize = true;
    compiler.options.optimization.minimizer = [
      new TerserPlugin({
        minify: TerserPlugin.swcMinify,
        extractComments: false,
        terserOptions: {
          compress: false,
          mangle: { keep_classnames: true, keep_fnames: true },
          keep_classnames: true,
          keep_fnames: true,
          format: { comments: false, asciiOnly: true },
        },
      }),
    ];
  }
}
