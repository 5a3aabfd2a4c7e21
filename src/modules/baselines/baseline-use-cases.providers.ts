import { BaselineProfileAudit } from './application/baseline-profile-audit';
import { BaselineVisibility } from './application/baseline-visibility';
import { CreateBaselineProfile } from './application/create-baseline-profile.use-case';
import { GetBaselineProfile } from './application/get-baseline-profile.query';
import { GetCompareResult } from './application/get-compare-result.query';
import { GetSnapshot } from './application/get-snapshot.query';
import { ListBaselineActivity } from './application/list-baseline-activity.query';
import { ListBaselineProfiles } from './application/list-baseline-profiles.query';
import { ListCompareResults } from './application/list-compare-results.query';
import { ListFindings } from './application/list-findings.query';
import { UpdateBaselineProfile } from './application/update-baseline-profile.use-case';

/** The baselines use cases the API and the pages share, with the helpers they are built on. */
export const BASELINE_USE_CASES = [
  BaselineVisibility,
  BaselineProfileAudit,
  ListBaselineProfiles,
  ListBaselineActivity,
  GetBaselineProfile,
  CreateBaselineProfile,
  UpdateBaselineProfile,
  ListCompareResults,
  ListFindings,
  GetSnapshot,
  GetCompareResult,
];
