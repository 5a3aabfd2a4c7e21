import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { isRecord } from '../../core/json-guards';

/**
 * Unknown query parameters and body fields are refused by the ValidationPipe's whitelist — but it
 * looks at the DTO *after* class-transformer built it, and class-transformer silently drops keys
 * such as `__proto__`, `constructor`, `prototype` or `toString`. So `?__proto__=x` answered 200
 * where `?sort=x` answered 400. This pipe checks the raw keys against the DTO's declared
 * properties first, with the ValidationPipe's own wording.
 */
@Injectable()
export class RejectUndeclaredKeysPipe implements PipeTransform {
  private readonly declared = new WeakMap<Function, ReadonlySet<string>>();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type !== 'query' && metadata.type !== 'body') || metadata.data !== undefined) return value;
    if (!isRecord(value)) return value;
    const declared = this.declaredOf(metadata.metatype);
    if (!declared) return value;
    const undeclared = Object.keys(value).filter((key) => !declared.has(key));
    if (undeclared.length > 0) throw new BadRequestException(undeclared.map((key) => `property ${key} should not exist`));
    return value;
  }

  /** The properties a DTO validates, or null for anything that is not a validated DTO. */
  private declaredOf(metatype: ArgumentMetadata['metatype']): ReadonlySet<string> | null {
    if (typeof metatype !== 'function') return null;
    let names = this.declared.get(metatype);
    if (!names) {
      const validations = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
      names = new Set(validations.map((v) => v.propertyName));
      this.declared.set(metatype, names);
    }
    return names.size > 0 ? names : null;
  }
}
