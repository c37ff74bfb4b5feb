// In CI only: a test that fails is run again (at most twice) before its suite
// fails, and every failed try is printed with its error, so a test that fails
// now and then is named in the log instead of failing the whole submission
// unexplained. A test that fails every try still fails. Locally nothing is
// retried: a flaky test shows as what it is.
if (process.env.CI) jest.retryTimes(2, { logErrorsBeforeRetry: true });
