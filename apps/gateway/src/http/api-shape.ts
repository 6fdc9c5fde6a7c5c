import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { ApiError } from './api-error';
import { assertKnownFields } from './known-fields';

/**
 * What a DTO class answers beyond its properties' constraints (read by the API validation pipe):
 * - `unknownFields`: a property the class does not declare. `'UNKNOWN_FIELD'` answers 400 UNKNOWN_FIELD
 *   naming the closest field (a typo such as `target_resolution` must not fall back to a default);
 *   `'ignore'` drops it (a list's query ignores parameters it does not know). Without it: 400 VALIDATION_FAILED.
 * - `notAnObject`: the answer to a body that is missing or not a JSON object (without it: an absent body
 *   is an empty one, anything else not an object 400 VALIDATION_FAILED).
 */
interface ApiShapeRules {
  unknownFields?: 'UNKNOWN_FIELD' | 'ignore';
  notAnObject?: { code: string; message: string };
  /** An absent body is an empty one (not `notAnObject`): for bodies that are all optional. */
  absentIsEmpty?: boolean;
}

const API_SHAPE = Symbol('tf:api-shape');

/** `@ApiShape({ unknownFields: 'UNKNOWN_FIELD' })` on a DTO class. */
export const ApiShape =
  (rules: ApiShapeRules): ClassDecorator =>
  (target) =>
    Reflect.defineMetadata(API_SHAPE, rules, target);

export const apiShapeRulesOf = (metatype: Type<unknown>): ApiShapeRules | undefined =>
  Reflect.getMetadata(API_SHAPE, metatype) as ApiShapeRules | undefined;

/** The properties a DTO class declares (those with class-validator rules), in declaration order. */
function declaredProperties(metatype: Type<unknown>): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
  return [...new Set(metadatas.map((m) => m.propertyName))];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (answer: { code: string; message: string }): never => {
  throw ApiError.badRequest(answer.code, answer.message);
};

/** Applies a class's ApiShapeRules to a value before its constraints are checked; answers the value to check. */
export function applyShapeRules(value: unknown, metatype: Type<unknown>, rules: ApiShapeRules): unknown {
  if ((value === undefined || value === null) && rules.absentIsEmpty) return {};
  if (!isObject(value)) return rules.notAnObject ? fail(rules.notAnObject) : value;
  const known = declaredProperties(metatype);
  if (rules.unknownFields === 'UNKNOWN_FIELD') assertKnownFields(Object.keys(value), known);
  if (rules.unknownFields === 'ignore')
    return Object.fromEntries(Object.entries(value).filter(([name]) => known.includes(name)));
  return value;
}
