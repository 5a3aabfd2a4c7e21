import { FindingType } from './drift';

/** Operator wording of the drift finding types (SPEC 4), shared by every page that lists findings. */
export const FINDING_TYPE_LABELS: Record<FindingType, string> = {
  missing_in_target: 'Missing in target',
  unexpected_in_target: 'Unexpected in target',
  setting_differs: 'Setting differs',
};
