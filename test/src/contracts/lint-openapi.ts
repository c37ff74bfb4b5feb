import { Document, Spectral, type ISpectralDiagnostic } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { openApiRuleset } from './openapi.ruleset';

/** One finding, as a line a failing test can print. */
export interface LintFinding {
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  path: string;
  message: string;
}

const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;

/**
 * Lints an OpenAPI document (its JSON text, as served at /docs/json) with the
 * gateway's ruleset, in process.
 *
 * @example const findings = await lintOpenApi(text, 'web-bff');
 */
export async function lintOpenApi(json: string, source: string): Promise<LintFinding[]> {
  const spectral = new Spectral();
  spectral.setRuleset(openApiRuleset);
  const diagnostics: ISpectralDiagnostic[] = await spectral.run(new Document(json, Json, `${source}.json`));
  return diagnostics.map((d) => ({ severity: SEVERITIES[d.severity], code: String(d.code), path: d.path.join('.'), message: d.message }));
}
