import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** One home for the rules of a baseline's name, shared by create and edit. */
export const BaselineNameRules = (): PropertyDecorator =>
  applyDecorators(
    IsString({ message: 'name must be a string' }),
    IsNotEmpty({ message: 'name must not be empty' }),
    MaxLength(120, { message: 'name must be at most 120 characters' }),
  );

/** One home for the rules of a baseline's policy kinds (empty or left out means all kinds). */
export const PolicyKindsRules = (): PropertyDecorator =>
  applyDecorators(
    IsArray({ message: 'policy_kinds must be a list of policy kinds' }),
    ArrayMaxSize(100, { message: 'policy_kinds may list at most 100 kinds' }),
    IsString({ each: true, message: 'policy_kinds must be a list of policy kinds' }),
    IsNotEmpty({ each: true, message: 'policy_kinds must not contain empty kinds' }),
    MaxLength(100, { each: true, message: 'each policy kind must be at most 100 characters' }),
  );
