import { ValidateIf } from 'class-validator';

/**
 * For fields whose column is NOT NULL: absent means "leave as is", but null is validated like any
 * other value (and refused by the type check). class-validator's @IsOptional() lets null through.
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
