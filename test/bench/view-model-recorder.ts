import { ViewService } from '../../src/shared/adapters/views/view.service';

/** Wraps ViewService.render until `stop()`, keeping (a structured clone of) the first model rendered for each wanted view. */
export function recordModels(views: ViewService, wanted: string[]): { stop(): Record<string, Record<string, unknown>> } {
  const record = views as unknown as Record<string, unknown>;
  const original = record.render as ViewService['render'];
  const own = Object.prototype.hasOwnProperty.call(views, 'render');
  const models: Record<string, Record<string, unknown>> = {};
  record.render = function (this: ViewService, name: string, model: Record<string, unknown>, layout?: string) {
    if (wanted.includes(name) && !models[name]) models[name] = structuredClone(model);
    return original.call(this, name, model, layout);
  };
  return {
    stop: () => {
      if (own) record.render = original;
      else delete record.render;
      return models;
    },
  };
}
