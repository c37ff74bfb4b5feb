// Helpers for specs of the kernel and of the apps (never in a production bundle).
export { createTestBff, type TestBff } from './test-bff';
export { TestUpstream, json, hang, reset, sequence, testUpstreamConfig, type UpstreamHandler, type SeenRequest } from './test-upstream';
export { freePort } from './free-port';
export { TestGrpcUpstream, answer, failWith, hangCall, inTurn, testGrpcUpstreamConfig, TEST_GRPC_CONTRACT, type SeenCall } from './test-grpc-upstream';
export { makeTestCertificates, type TestCertificates } from './test-certificates';
