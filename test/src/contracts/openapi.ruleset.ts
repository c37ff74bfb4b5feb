import type { RulesetDefinition } from '@stoplight/spectral-core';
import owaspRuleset from '@stoplight/spectral-owasp-ruleset';
import { oas } from '@stoplight/spectral-rulesets';

/**
 * The lint every BFF's OpenAPI document passes with zero errors: Spectral's
 * own `spectral:oas` rules (recommended set) and the OWASP API Security Top 10
 * ruleset (@stoplight/spectral-owasp-ruleset), both loaded from node_modules
 * (no ruleset is fetched over the network), with these decisions:
 *
 * Input bounds (OWASP API4: string-limit, array-limit, integer-limit,
 * integer-format; at error) hold on what a client SENDS: path, query and
 * header parameters and request bodies. They are re-declared below for those
 * places only (`gateway:input-*`), with OWASP's own checks. Off for answers:
 * a response field is the upstream's data passed on, and a maxLength or
 * maxItems on it would be a promise nothing enforces. The arrays the gateway
 * itself bounds (pages, recent orders, featured) do publish their maxItems.
 *
 * Warnings accepted (reported by the suite, not failures):
 * - owasp:api4:2023-rate-limit (made a warning): RateLimit-* headers are
 *   documented on every answer of a throttled route given after the limiter
 *   ran (2xx, 400, 404, 409, 5xx, 429). 401 and 403 come before it, and
 *   health and @SkipThrottle routes are never limited: saying they
 *   carry the headers would be false.
 * - owasp:api8:2023-define-cors-origin (made a warning): Access-Control-Allow-Origin
 *   is sent only when CORS_ORIGINS is set, and then the document declares it
 *   on every answer; without it, no answer carries the header.
 * - owasp:api4:2023-rate-limit-responses-429: health and
 *   @SkipThrottle routes have no 429 (never limited).
 * - owasp:api2:2023-read-restricted, owasp:api8:2023-define-error-responses-401:
 *   public routes (catalog, product page, products list, health) take no credential.
 * - owasp:api8:2023-define-error-validation: health takes no input. (/metrics is on the
 *   management port, outside these documents.)
 * - owasp:api4:2023-string-restricted: free text (names, descriptions,
 *   references) has a maxLength but no pattern.
 * - operation-success-response: mobile-bff's WebSocket endpoint answers 101
 *   Switching Protocols, never a 2xx.
 * - owasp:api3:2023-no-additionalProperties / constrained-additionalProperties:
 *   the health answers' `info`/`details` maps (from @nestjs/terminus) are keyed
 *   by dependency name.
 */
const owasp = ((owaspRuleset as { default?: RulesetDefinition }).default ?? owaspRuleset) as RulesetDefinition & {
  rules: Record<string, { then: unknown }>;
};

/** Every schema of a parameter or a request body, and the schemas inside them (the document is linted with $refs resolved). */
const inputSchemas = (type: string) => [
  `$.paths[*][*].parameters[*]..[?(@ && @.type == '${type}')]`,
  `$.paths[*][*].requestBody.content[*]..[?(@ && @.type == '${type}')]`,
];

const inputRule = (owaspName: string, type: string, description: string) => ({
  description,
  severity: 'error' as const,
  given: inputSchemas(type),
  then: owasp.rules[owaspName].then as never,
});

export const openApiRuleset: RulesetDefinition = {
  extends: [
    [oas as RulesetDefinition, 'recommended'],
    owasp,
  ],
  rules: {
    'owasp:api4:2023-rate-limit': 'warn',
    'owasp:api8:2023-define-cors-origin': 'warn',
    'owasp:api4:2023-string-limit': 'off',
    'owasp:api4:2023-array-limit': 'off',
    'owasp:api4:2023-integer-limit': 'off',
    'owasp:api4:2023-integer-limit-legacy': 'off',
    'owasp:api4:2023-integer-format': 'off',
    'gateway:input-string-limit': inputRule('owasp:api4:2023-string-limit', 'string', 'A string a client sends has maxLength, enum or const.'),
    'gateway:input-array-limit': inputRule('owasp:api4:2023-array-limit', 'array', 'An array a client sends has maxItems.'),
    'gateway:input-integer-limit': inputRule('owasp:api4:2023-integer-limit-legacy', 'integer', 'An integer a client sends has minimum and maximum.'),
    'gateway:input-integer-format': inputRule('owasp:api4:2023-integer-format', 'integer', 'An integer a client sends has format int32 or int64.'),
  } as never,
};
