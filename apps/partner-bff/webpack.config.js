module.exports = require('../../tools/webpack/bff-webpack.config')(__dirname);
