/** Phases of `baseline.capture`, in order; labels are operator-safe (shown as is). */
export const CAPTURE_PHASES = [
  { key: 'resolving_scope', label: 'Resolving baseline scope' },
  { key: 'capturing_evidence', label: 'Capturing policy evidence' },
  { key: 'normalizing', label: 'Normalizing settings' },
  { key: 'finalizing', label: 'Finalizing snapshot' },
] as const;

/** Phases of `baseline.compare`, in order; labels are operator-safe (shown as is). */
export const COMPARE_PHASES = [
  { key: 'loading_snapshot', label: 'Loading baseline snapshot' },
  { key: 'collecting_current_state', label: 'Collecting current state' },
  { key: 'comparing', label: 'Comparing settings' },
  { key: 'recording_findings', label: 'Recording drift findings' },
] as const;
