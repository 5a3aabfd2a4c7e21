import { EntitySchema } from '@mikro-orm/core';
import { EnvironmentRef, WorkspaceRef } from '../../core/ports/tenancy-directory.port';

export const WorkspaceSchema = new EntitySchema<WorkspaceRef>({
  name: 'Workspace',
  tableName: 'workspaces',
  properties: {
    id: { type: 'uuid', primary: true },
    slug: { type: 'text', unique: true },
    name: { type: 'text' },
  },
});

export const ManagedEnvironmentSchema = new EntitySchema<EnvironmentRef>({
  name: 'ManagedEnvironment',
  tableName: 'managed_environments',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid', fieldName: 'workspace_id' },
    slug: { type: 'text' },
    displayName: { type: 'text', fieldName: 'display_name' },
  },
});
