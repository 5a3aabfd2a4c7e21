import { loadOperationCatalog } from '../../../operations/adapters/config/operation-catalog.loader';
import { loadAppConfig } from '../../../../shared/adapters/config/app-config';
import { CAPTURE_PHASES, COMPARE_PHASES } from '../../core/baseline-phases';

/** The catalog's phases are what the handlers report: keys and labels must never drift apart. */
describe('baseline types in config/operation-catalog.json', () => {
  const definitions = loadOperationCatalog(loadAppConfig({}));
  const byType = (type: string) => definitions.find((d) => d.type === type);

  it.each([
    ['baseline.capture', CAPTURE_PHASES, 'baselines.capture', 'baseline_capture'],
    ['baseline.compare', COMPARE_PHASES, 'baselines.compare', 'baseline_compare'],
  ])('%s is phased with the core phases', (type, phases, capability, alias) => {
    expect(byType(type)).toMatchObject({
      module: 'baselines',
      capability,
      progress_mode: 'phased',
      aliases: [alias],
      phases: phases.map(({ key, label }) => ({ key, label })),
    });
  });
});
