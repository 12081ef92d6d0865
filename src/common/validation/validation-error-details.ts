import type { ValidationError } from 'class-validator';
import type { FieldError } from '../errors/app-error';

/** Flattens class-validator's tree into one entry per failed field, with the field's wire name. */
export function validationErrorDetails(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${error.property} `)
        ? message.slice(error.property.length + 1)
        : message,
    }));
    return [...own, ...validationErrorDetails(error.children ?? [], field)];
  });
}
