import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InternalOnlyGuard } from './internal-only.guard.js';

/** The OpenAPI tag of internal-port routes; the document sends their "Try it out" there. */
export const INTERNAL_TAG = 'internal';

/** A controller for other services only: 404 on the public port, documented as internal. */
export const InternalRoute = (): ClassDecorator => applyDecorators(ApiTags(INTERNAL_TAG), UseGuards(InternalOnlyGuard));
