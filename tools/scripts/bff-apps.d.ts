/** A BFF of this workspace, as bff-apps.js finds it. */
export interface BffApp {
  name: string;
  /** Its project folder, `apps/<name>`. */
  root: string;
  /** The default port of its config (`http: { port: N }`). */
  port: number;
  auth: 'jwt' | 'api-key';
  /** Its built entry, relative to the workspace root. */
  main: string;
}

/** Every Nx project under `<workspace>/apps` tagged `type:app`, sorted by port. @example readBffs(REPO_ROOT).map((b) => b.name) */
export function readBffs(workspace: string): BffApp[];

export const BFF_TAG: string;
