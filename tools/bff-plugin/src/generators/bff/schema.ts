/** Options of `nx g @multi-bff/bff-plugin:bff <name>` (see schema.json). */
export interface BffGeneratorSchema {
  name: string;
  scope?: string;
  port?: number;
  auth?: 'jwt' | 'api-key';
  skipFormat?: boolean;
}
