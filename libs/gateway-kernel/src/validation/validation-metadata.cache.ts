import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = Parameters<Storage['addValidationMetadata']>[0];

const MEMOIZED = Symbol('gatewayMemoizedValidationMetadata');

/**
 * Memoizes class-validator's metadata lookups per DTO class. For every object
 * it validates, class-validator scans the metadata of every decorated class
 * in the process (the config's included) for the target's own and inherited
 * rules, then groups them by property: a few hundred checks and arrays per
 * request for an `:id`. The answer depends only on the class and options,
 * and decorators run when classes load, so it is computed once per class;
 * a class decorated later (a lazily loaded module) clears the memo.
 * Validation with groups or against a schema is left as it was.
 *
 * @example memoizeValidationMetadata(); // once, before the first request (the kernel's validation pipe does it)
 */
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage() as Storage & { [MEMOIZED]?: true };
  if (storage[MEMOIZED]) return;
  storage[MEMOIZED] = true;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  // Keyed by class, then by the two flags that change the answer.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator keys its metadata by constructor
  let byTarget = new Map<Function, ValidationMetadata[][]>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (schema || groups?.length || typeof target !== 'function') return lookup(target, schema, always, strictGroups, groups);
    const slot = (always ? 1 : 0) + (strictGroups ? 2 : 0);
    let entries = byTarget.get(target);
    if (!entries) byTarget.set(target, (entries = []));
    return (entries[slot] ??= lookup(target, schema, always, strictGroups, groups));
  };
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
}
