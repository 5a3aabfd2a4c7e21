import { Migration } from '@mikro-orm/migrations';

/**
 * Baseline names are unique per source environment (case-insensitive), no longer per workspace.
 * A workspace-wide index made creating or renaming a profile answer 409 for a name that existed
 * only on a source the caller may not see, which told a limited member that the name exists.
 * Everyone who may create or rename a profile on a source may see every profile of that source,
 * so a conflict now only ever names something the caller can already see.
 */
export class Migration20261205030000_baseline_names_per_source extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index baseline_profiles_ws_name_uq`);
    this.addSql(
      `create unique index baseline_profiles_source_name_uq on baseline_profiles (workspace_id, source_environment_id, lower(name))`,
    );
  }

  override async down(): Promise<void> {
    // Names repeated across sources would break the workspace-wide index: every copy but the
    // oldest gets its source environment's slug appended, so going back never fails.
    this.addSql(`update baseline_profiles p set name = p.name || ' (' || e.slug || ')'
      from managed_environments e,
           (select id, row_number() over (partition by workspace_id, lower(name) order by created_at, id) as n
              from baseline_profiles) d
     where d.id = p.id and d.n > 1 and e.id = p.source_environment_id`);
    this.addSql(`drop index baseline_profiles_source_name_uq`);
    this.addSql(`create unique index baseline_profiles_ws_name_uq on baseline_profiles (workspace_id, lower(name))`);
  }
}
