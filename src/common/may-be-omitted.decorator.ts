import { ValidateIf } from 'class-validator';

/**
 * An optional property: it may be left out, but when present it is validated, `null` included.
 * (`@IsOptional()` lets `null` through, which the schema, `type: string` and the like, does not
 * allow, and which the service would read as "use the default".)
 */
export const MayBeOmitted = (): PropertyDecorator => ValidateIf((_object: unknown, value: unknown) => value !== undefined);
