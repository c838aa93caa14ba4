import { ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';

/**
 * For a body DTO the global ValidationPipe checks: it refuses properties the class does not declare
 * (`forbidNonWhitelisted`), so its schema says `additionalProperties: false`. @nestjs/swagger copies
 * ApiSchema's options into the schema object; its type names only `name` and `description`.
 */
export const ClosedBody = (): ClassDecorator => ApiSchema({ additionalProperties: false } as ApiSchemaOptions);
