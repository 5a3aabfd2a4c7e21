// Runs in a child process of the Jest global setup: MikroORM state must not leak into Jest.
import { findProjectRoot } from '../../src/shared/adapters/config/app-config';
import { migrateDatabase } from '../../src/shared/adapters/persistence/migrate';

migrateDatabase(process.argv[2], findProjectRoot(__dirname)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.message ?? error}\n`);
    process.exit(1);
  },
);
