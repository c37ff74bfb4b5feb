import { imageNodeFlags } from './image-node-flags';

describe('imageNodeFlags', () => {
  it("starts BFFs with the flags of the image's CMD, read from the Dockerfile", () => {
    expect(imageNodeFlags()).toContain('--max-semi-space-size=8');
    expect(imageNodeFlags('FROM x\nCMD ["node", "--a=1", "--b", "main.js"]\n')).toEqual(['--a=1', '--b']);
  });

  it('refuses a CMD that is not node ... main.js, rather than guess', () => {
    expect(() => imageNodeFlags('CMD ["sh", "-c", "node main.js"]')).toThrow(/not node/);
    expect(() => imageNodeFlags('FROM x')).toThrow(/no CMD/);
  });
});
