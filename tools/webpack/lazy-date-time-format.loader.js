// Webpack loader for @nestjs/common's two logger modules, which each build an
// Intl.DateTimeFormat when they load, only to stamp console log lines. The
// first DateTimeFormat maps ICU's locale data into the process: ~8 MB of
// resident memory in every BFF, though a BFF logs through pino and Nest's
// console logger never formats a date. Rewritten to build it on first use,
// with the same arguments; the log line is unchanged.
//
// A Nest release that no longer has this exact shape fails the build here,
// so the saving cannot be lost silently.
const EAGER = 'const dateTimeFormatter = new Intl.DateTimeFormat(undefined, {';
const LAZY =
  'const dateTimeFormatter = ((options) => {' +
  ' let made;' +
  ' return { format: (date) => (made ??= new Intl.DateTimeFormat(undefined, options)).format(date) };' +
  ' })({';

/** @this {import('webpack').LoaderContext<unknown>} */
module.exports = function lazyDateTimeFormat(source) {
  const at = source.indexOf(EAGER);
  if (at < 0 || source.indexOf(EAGER, at + 1) >= 0) {
    throw new Error(`${this.resourcePath}: expected one eager "${EAGER}" to defer (see tools/webpack/lazy-date-time-format.loader.js)`);
  }
  return source.slice(0, at) + LAZY + source.slice(at + EAGER.length);
};
