import { routes } from '../../../../shared/core/routes';
import { WorkspaceAccess } from '../../../rbac/core/access-control';
import { EnvironmentRef } from '../../../rbac/core/ports/tenancy-directory.port';
import { OperationTypeDefinition } from '../../../operations/core/operation-type';
import { RunResource } from '../../../operations/core/run-resource';
import { RunChildrenPage } from '../../application/list-run-children.query';
import { BulkActionScope } from '../../application/start-bulk-action.use-case';
import { BULK_FILTER_KEYS } from '../../core/bulk-input';
import { MAX_BULK_TARGETS } from '../../core/bulk-run-types';
import { CHILD_RESULTS } from '../../core/child-results';

const FILTER_LABELS: Record<(typeof BULK_FILTER_KEYS)[number], string> = {
  tab: 'Tab',
  environment: 'Environment',
  archived: 'Archived environments',
  type: 'Type',
  status: 'Status',
  outcome: 'Outcome',
  problem_class: 'Problem class',
  initiator: 'Started by (user id)',
  from: 'From',
  to: 'To',
};

/** What a filter value reads as where it is a code rather than a name (the form still sends the code). */
const FILTER_DISPLAY: Partial<Record<(typeof BULK_FILTER_KEYS)[number], Record<string, string>>> = {
  archived: { include: 'Included', exclude: 'Left out' },
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "Cancel 12 active runs?" with the view it counts, the exact count, and the form that starts the bulk run. */
export function bulkConfirmationModel(scope: BulkActionScope, count: number) {
  const slug = scope.ws.workspace.slug;
  const capped = count >= MAX_BULK_TARGETS;
  const what = scope.action === 'cancel' ? plural(count, 'active run', 'active runs') : plural(count, 'run', 'runs');
  const verb = scope.action === 'cancel' ? 'Cancel' : 'Retry';
  return {
    title: count === 0 ? `Nothing to ${verb.toLowerCase()} in this view` : `${verb} ${capped ? 'the newest ' : ''}${what}?`,
    count,
    capped,
    max: MAX_BULK_TARGETS.toLocaleString('en-US'),
    isCancel: scope.action === 'cancel',
    verbLabel: `${verb} ${what}`,
    filters: BULK_FILTER_KEYS.filter((k) => scope.filter[k]).map((k) => ({
      name: k,
      label: FILTER_LABELS[k],
      value: scope.filter[k],
      display: FILTER_DISPLAY[k]?.[scope.filter[k]!] ?? scope.filter[k],
    })),
    backHref: routes.hub(slug, scope.filter),
    action: routes.hubBulk(slug, scope.action),
  };
}

/** The fan-out form: environment types the user may start (without start-form fields), and the environments. */
export function fanOutFormModel(
  ws: WorkspaceAccess,
  environments: EnvironmentRef[],
  types: OperationTypeDefinition[],
  chosenType: string | undefined,
) {
  const chosen = types.find((t) => t.type === chosenType)?.type ?? types[0]?.type;
  return {
    title: `Start for several environments · ${ws.workspace.name}`,
    action: routes.fanOut(ws.workspace.slug),
    backHref: routes.hub(ws.workspace.slug),
    types: types.map((t) => ({ value: t.type, label: t.label, selected: t.type === chosen })),
    environments: environments.map((e) => ({ slug: e.slug, name: e.displayName, archived: e.archived === true })),
    hasTypes: types.length > 0,
  };
}

/** The runs a bulk run touched, with what it did to each. */
export function childRowsModel(parent: RunResource, page: RunChildrenPage) {
  return {
    title: `Runs touched by ${parent.type_label}`,
    runHref: routes.run(parent.id),
    rows: page.items.map((c) => ({
      href: routes.run(c.run.id),
      label: c.run.type_label,
      environment: c.run.environment?.name ?? 'Workspace',
      result: c.result.replace(/_/g, ' '),
      kind: CHILD_RESULTS[c.result].kind,
      message: c.message,
      status: c.run.presentation.headline,
    })),
    nextHref: page.next_cursor ? routes.runChildren(parent.id, page.next_cursor) : null,
  };
}
