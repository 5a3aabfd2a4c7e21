import { createHash, randomBytes } from 'node:crypto';
import {
  BASELINE_PROFILE_REPOSITORY,
  BaselineProfileRepository,
} from '../../src/modules/baselines/core/ports/baseline-profile.repository.port';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { insertRunRow } from './run-rows';
import { DemoScope } from './seed';
import { TestApp, waitForCompletedRun } from './test-app';

/** A profile without a snapshot: the compare form lists it as "Contoso security baseline (no snapshot yet)". */
export const UNCAPTURED_PROFILE_NAME = 'Contoso security baseline';

/** What the main pages show, made by real runs through the worker. */
export interface MainPagesData {
  profileId: string;
  snapshotId: string;
  compareResultId: string;
  compareRunId: string;
  reviewId: string;
  /** A running inventory sync nothing works on (no queue job): its page offers Cancel, and its confirmation. */
  activeRunId: string;
  /** A pending invitation's one-time link (the accept page). */
  invitationPath: string;
}

export interface MainPage {
  name: string;
  path: string;
  /** Reached without signing in. */
  anonymous?: boolean;
  /** What the owner and the operator are answered (the operator lacks baselines.manage and audit.view). */
  status: { owner: number; operator: number };
}

/**
 * Inventory, a captured profile and an uncaptured one, a compare with findings and a review — all
 * in Fabrikam and Contoso HQ, which the demo operator may see — each run started by the owner or
 * the operator so both have notifications.
 */
export async function seedMainPages(t: TestApp, scope: DemoScope): Promise<MainPagesData> {
  const runs = t.get<OperationRunService>(OperationRunService);
  const run = async (env: string, type: string, initiator: 'owner' | 'operator', input?: unknown): Promise<OperationRun> => {
    const { run } = await runs.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds[env],
      type,
      input,
      initiatorUserId: scope.userIds[initiator],
    });
    const done = await waitForCompletedRun(runs, run.id);
    if (done.outcome !== 'succeeded') throw new Error(`${type} on ${env} ended ${done.outcome}`);
    return done;
  };
  const related = (r: OperationRun) => (r.context.related as { id: string }).id;
  const profiles = t.get<BaselineProfileRepository>(BASELINE_PROFILE_REPOSITORY);
  const profile = (name: string) =>
    profiles.create({ workspaceId: scope.workspaceId, name, sourceEnvironmentId: scope.environmentIds['contoso-hq'], policyKinds: [] });

  await run('contoso-hq', 'inventory.sync', 'owner');
  await run('fabrikam', 'inventory.sync', 'operator');
  const captured = await profile('Fabrikam reference baseline');
  await profile(UNCAPTURED_PROFILE_NAME);
  const snapshotId = related(await run('contoso-hq', 'baseline.capture', 'owner', { baseline_id: captured.id }));
  const compare = await run('fabrikam', 'baseline.compare', 'operator', { baseline_id: captured.id });
  const reviewId = related(await run('fabrikam', 'environment.review.compose', 'owner'));
  const activeRunId = await insertRunRow(t.db, {
    workspaceId: scope.workspaceId,
    environmentId: scope.environmentIds['contoso-hq'],
    type: 'inventory.sync',
    status: 'running',
    createdAgoS: 5,
    heartbeatAgoS: 1,
  });
  const invitationToken = randomBytes(32).toString('base64url');
  await t.db.query(
    `insert into membership_invitations (workspace_id, email, role, all_environments, environment_ids, token_hash, expires_at)
     values ($1, 'invitee@opsdeck.test', 'operator', false, $2, $3, now() + interval '7 days')`,
    [scope.workspaceId, [scope.environmentIds.fabrikam], createHash('sha256').update(invitationToken, 'utf8').digest('hex')],
  );
  return {
    profileId: captured.id,
    snapshotId,
    compareResultId: related(compare),
    compareRunId: compare.id,
    reviewId,
    activeRunId,
    invitationPath: `/invite/${invitationToken}`,
  };
}

/** Every main page of the console (the error page is a 404 inside the workspace). */
export function mainPages(d: MainPagesData): MainPage[] {
  const ws = '/w/contoso-msp';
  const ok = { owner: 200, operator: 200 };
  const ownerOnly = { owner: 200, operator: 403 };
  return [
    { name: 'login', path: '/login', anonymous: true, status: ok },
    { name: 'workspace overview', path: ws, status: ok },
    { name: 'environment dashboard', path: `${ws}/e/contoso-hq`, status: ok },
    { name: 'operations hub', path: `${ws}/operations`, status: ok },
    { name: 'run detail', path: `/operations/${d.compareRunId}`, status: ok },
    { name: 'run detail (active, with Cancel)', path: `/operations/${d.activeRunId}`, status: ok },
    { name: 'cancel confirmation', path: `/operations/${d.activeRunId}/cancel`, status: ok },
    { name: 'bulk cancel confirmation', path: `${ws}/operations/bulk/cancel?environment=contoso-hq&tab=active`, status: ok },
    { name: 'fan-out form', path: `${ws}/operations/fan-out`, status: ownerOnly },
    { name: 'runs touched (none)', path: `/operations/${d.compareRunId}/children`, status: ok },
    { name: 'baselines list', path: `${ws}/baselines`, status: ok },
    { name: 'baseline detail', path: `${ws}/baselines/${d.profileId}`, status: ok },
    { name: 'baseline form (new)', path: `${ws}/baselines/new`, status: ownerOnly },
    { name: 'baseline form (edit)', path: `${ws}/baselines/${d.profileId}/edit`, status: ownerOnly },
    { name: 'baseline snapshot', path: `${ws}/baselines/snapshots/${d.snapshotId}`, status: ok },
    { name: 'compare result', path: `${ws}/baselines/compare-results/${d.compareResultId}`, status: ok },
    { name: 'reviews list', path: `${ws}/reviews`, status: ok },
    { name: 'environment reviews', path: `${ws}/e/fabrikam/reviews`, status: ok },
    { name: 'review detail', path: `${ws}/e/fabrikam/reviews/${d.reviewId}`, status: ok },
    { name: 'notifications', path: '/notifications', status: ok },
    { name: 'account', path: '/account', status: ok },
    { name: 'audit log', path: `${ws}/audit`, status: ownerOnly },
    { name: 'members', path: `${ws}/members`, status: ownerOnly },
    { name: 'invitation', path: d.invitationPath, anonymous: true, status: ok },
    { name: 'invitation not valid', path: `/invite/${'A'.repeat(43)}`, anonymous: true, status: { owner: 404, operator: 404 } },
    { name: 'workspace settings', path: `${ws}/settings`, status: ownerOnly },
    { name: 'environment settings', path: `${ws}/settings/environments`, status: ownerOnly },
    { name: 'error page', path: `${ws}/e/no-such-environment`, status: { owner: 404, operator: 404 } },
  ];
}
