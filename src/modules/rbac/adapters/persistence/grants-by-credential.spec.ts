import { forgetGrants, keepGrants, knownGrants, knownParams, resolveGrants } from './grants-by-credential';
import { GrantRow } from './member-grants.sql';

const row = (workspace: string): GrantRow => ({
  workspace_id: workspace,
  workspace_slug: workspace,
  workspace_name: workspace,
  role: 'owner',
  all_environments: true,
  environment_ids: null,
  environments_version: '0',
});

describe('grants held per credential', () => {
  it('keeps what a lookup sent, with its user and version', () => {
    const sent = [row('w1')];
    expect(resolveGrants('cred-a', undefined, { user_id: 'u1', grants_version: '3', grants: sent })).toBe(sent);
    expect(knownGrants('cred-a')).toEqual({ userId: 'u1', version: '3', rows: sent });
    expect(knownParams(knownGrants('cred-a'))).toEqual(['u1', '3']);
    expect(knownParams(undefined)).toEqual([null, null]);
  });

  it('answers from the held grants when the lookup sent none for the held user and version', () => {
    const held = { userId: 'u2', version: '7', rows: [row('w2')] };
    keepGrants('cred-b', held);
    expect(resolveGrants('cred-b', held, { user_id: 'u2', grants_version: '7', grants: null })).toBe(held.rows);
  });

  it('refuses to guess when the lookup sent none but the held ones are of another version or user', () => {
    const held = { userId: 'u3', version: '1', rows: [row('w3')] };
    expect(() => resolveGrants('cred-c', held, { user_id: 'u3', grants_version: '2', grants: null })).toThrow();
    expect(() => resolveGrants('cred-c', held, { user_id: 'u4', grants_version: '1', grants: null })).toThrow();
    expect(() => resolveGrants('cred-c', undefined, { user_id: 'u3', grants_version: '1', grants: null })).toThrow();
  });

  it('forgets a credential, and the oldest ones beyond ten thousand', () => {
    keepGrants('cred-d', { userId: 'u5', version: '1', rows: [] });
    forgetGrants('cred-d');
    expect(knownGrants('cred-d')).toBeUndefined();
    keepGrants('oldest', { userId: 'u6', version: '1', rows: [] });
    for (let i = 0; i < 10_000; i++) keepGrants(`bulk-${i}`, { userId: 'u7', version: '1', rows: [] });
    expect(knownGrants('oldest')).toBeUndefined();
    expect(knownGrants('bulk-9999')).toBeDefined();
  });
});
